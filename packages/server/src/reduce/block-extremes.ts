/**
 * The rows (and values) of the minimum and the maximum of a growing series, kept per
 * block of BLOCK_ROWS rows as rows are appended (O(1) each), so the extremes of any row
 * range cost O(range / BLOCK_ROWS + BLOCK_ROWS) instead of a scan of the range: M4 of a
 * million-step line then reads about 1/20 of its rows.
 *
 * Rows are absolute: the n-th row ever appended is row n, so dropping the oldest rows
 * (rollover) leaves the others' blocks valid. A NaN (a gap) is never an extreme while
 * its block holds a number.
 */
export const BLOCK_ROWS = 64;

export class BlockExtremes {
  private minRows: number[] = [];
  private maxRows: number[] = [];
  private minValues: number[] = [];
  private maxValues: number[] = [];
  /** Block index of entry `head`; entries before `head` are dropped. */
  private firstBlock = 0;
  private head = 0;

  /** Notes appended row `row` (one more than the last) holding `value`. */
  push(row: number, value: number): void {
    const at = this.head + Math.floor(row / BLOCK_ROWS) - this.firstBlock;
    if (this.minRows.length === this.head) this.firstBlock = Math.floor(row / BLOCK_ROWS);
    if (this.minRows.length === this.head || at >= this.minRows.length) {
      this.minRows.push(row);
      this.maxRows.push(row);
      this.minValues.push(value);
      this.maxValues.push(value);
      return;
    }
    if (value < this.minValues[at] || (Number.isNaN(this.minValues[at]) && !Number.isNaN(value))) {
      this.minRows[at] = row;
      this.minValues[at] = value;
    }
    if (value > this.maxValues[at] || (Number.isNaN(this.maxValues[at]) && !Number.isNaN(value))) {
      this.maxRows[at] = row;
      this.maxValues[at] = value;
    }
  }

  /** Forgets the blocks that lie wholly before `row` (dropped by rollover). */
  dropBefore(row: number): void {
    while (this.head < this.minRows.length && (this.firstBlock + 1) * BLOCK_ROWS <= row) {
      this.head++;
      this.firstBlock++;
    }
    if (this.head > 1024 && this.head * 2 > this.minRows.length) {
      for (const list of [this.minRows, this.maxRows, this.minValues, this.maxValues]) list.splice(0, this.head);
      this.head = 0;
    }
  }

  /**
   * The rows of the minimum and maximum of rows [from, to) (from < to), where row r holds
   * values[r - held] (the held rows start at row `held`). Partial blocks are scanned.
   */
  extremes(from: number, to: number, held: number, values: Float64Array): [number, number] {
    let min = from;
    let max = from;
    let minValue = values[from - held];
    let maxValue = minValue;
    let row = from;
    while (row < to) {
      const blockStart = row - (row % BLOCK_ROWS);
      const blockEnd = blockStart + BLOCK_ROWS;
      const at = this.head + blockStart / BLOCK_ROWS - this.firstBlock;
      if (row === blockStart && blockEnd <= to && blockStart >= held && at >= this.head && at < this.minRows.length) {
        const [low, high] = [this.minValues[at], this.maxValues[at]];
        if (low < minValue || (Number.isNaN(minValue) && !Number.isNaN(low))) [min, minValue] = [this.minRows[at], low];
        if (high > maxValue || (Number.isNaN(maxValue) && !Number.isNaN(high))) [max, maxValue] = [this.maxRows[at], high];
        row = blockEnd;
        continue;
      }
      for (const end = Math.min(to, blockEnd); row < end; row++) {
        const value = values[row - held];
        if (value < minValue || (Number.isNaN(minValue) && !Number.isNaN(value))) [min, minValue] = [row, value];
        if (value > maxValue || (Number.isNaN(maxValue) && !Number.isNaN(value))) [max, maxValue] = [row, value];
      }
    }
    return [min, max];
  }
}
