/** What each visual channel of a bubble plot shows: a data column, `count`, or (colour only) `id`. */
export interface BubbleChoice {
  x: string;
  y: string;
  size: string;
  color: string;
}

export type BubbleChannel = keyof BubbleChoice;

const LABELS: Record<BubbleChannel, string> = { x: 'X', y: 'Y', size: 'Size', color: 'Colour' };

/** X and Y: the first two data columns; size: the count; colour: the stable id. */
export function defaultChoice(dataColumns: readonly string[]): BubbleChoice {
  return { x: dataColumns[0] ?? 'count', y: dataColumns[1] ?? 'count', size: 'count', color: 'id' };
}

/** The options each channel offers. */
export function channelOptions(dataColumns: readonly string[]): Record<BubbleChannel, string[]> {
  const numeric = [...dataColumns, 'count'];
  return { x: numeric, y: numeric, size: ['count', ...dataColumns], color: ['id', ...dataColumns, 'count'] };
}

/**
 * A row of HTML selects, one per channel, placed above the figure. `onChange` gets the
 * whole choice whenever one select changes.
 */
export function bubblePicker(dataColumns: readonly string[], choice: BubbleChoice, onChange: (choice: BubbleChoice) => void): HTMLElement {
  const bar = document.createElement('form');
  bar.className = 'bubble-picker';
  bar.style.cssText = 'display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 2px 6px 4px; font-size: 12px; color: #555;';
  const current = { ...choice };
  const options = channelOptions(dataColumns);
  for (const channel of Object.keys(LABELS) as BubbleChannel[]) {
    const label = document.createElement('label');
    label.textContent = `${LABELS[channel]} `;
    const select = document.createElement('select');
    select.name = channel;
    select.style.font = 'inherit';
    for (const name of options[channel]) select.add(new Option(name, name, false, name === current[channel]));
    select.addEventListener('change', () => {
      current[channel] = select.value;
      onChange({ ...current });
    });
    label.append(select);
    bar.append(label);
  }
  bar.addEventListener('submit', (event) => event.preventDefault());
  return bar;
}
