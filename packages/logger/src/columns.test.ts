import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ColorSpec } from './color-spec.js';
import { multiLineColumns, writeScatterColumns, type ScatterColumns } from './columns.js';
import { GridSpec } from './grid-spec.js';
import { readNdArray, toNdArray, type NdArray } from './ndarray.js';

const nd = (nested: unknown) => toNdArray(nested, 'test(data)');

/** The scatter columns of `data`, written into arrays allocated here as the logger allocates them in a frame. */
function scatterColumns(data: NdArray, spatialDim: number, grid?: GridSpec, color?: ColorSpec): ScatterColumns {
  const out = scatterOutput(data, spatialDim, color);
  expect(writeScatterColumns(data, spatialDim, out, grid, color)).toBe(true);
  return out;
}

function scatterOutput({ data, shape }: NdArray, spatialDim: number, color?: ColorSpec): ScatterColumns {
  const column = () => (data instanceof Float32Array ? new Float32Array(data.length / shape[spatialDim]) : new Float64Array(data.length / shape[spatialDim]));
  return color ? { x: column(), y: column(), color: column() } : { x: column(), y: column() };
}
const list = (a: ArrayLike<number> | undefined) => Array.from(a ?? []);
/** [2, 2, 2] array whose value at [i, c, j] is 100 i + 10 c + j. */
const cube = nd([[[0, 1], [10, 11]], [[100, 101], [110, 111]]]);

describe('scatterColumns', () => {
  it('reads x, y along the spatial axis wherever it is', () => {
    expect(scatterColumns(nd([[1, 2], [3, 4]]), 1)).toEqual({ x: Float64Array.of(1, 3), y: Float64Array.of(2, 4) });
    expect(scatterColumns(nd([[1, 2, 3], [4, 5, 6]]), 0)).toEqual({ x: Float64Array.of(1, 2, 3), y: Float64Array.of(4, 5, 6) });
    const middle = scatterColumns(cube, 1);
    expect(list(middle.x)).toEqual([0, 1, 100, 101]);
    expect(list(middle.y)).toEqual([10, 11, 110, 111]);
  });

  it('takes the third spatial entry as the colour value when ColorSpec has no dim', () => {
    const { color } = scatterColumns(nd([[0, 0, 0.25], [1, 1, 0.75]]), 1, undefined, new ColorSpec('Viridis256'));
    expect(list(color)).toEqual([0.25, 0.75]);
  });

  it('colours by the index along ColorSpec.dim rescaled to [0, 1]', () => {
    const layers = nd([[[0, 0], [1, 1]], [[2, 2], [3, 3]], [[4, 4], [5, 5]]]);
    expect(list(scatterColumns(layers, 2, undefined, new ColorSpec('Viridis256', 0)).color)).toEqual([0, 0, 0.5, 0.5, 1, 1]);
    expect(list(scatterColumns(layers, 2, undefined, new ColorSpec('Viridis256', 1)).color)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(list(scatterColumns(nd([[[0, 0], [1, 1]]]), 2, undefined, new ColorSpec('Turbo256', 0)).color)).toEqual([0, 0]);
  });

  it('shifts slice i by (i % columns, -floor(i / columns)) times extent times padding', () => {
    // Four one-point slices; x extent 2, y extent 4; padding 1.5 -> steps 3 and 6.
    const points = nd([[0, 0], [2, 0], [0, 4], [2, 4]]);
    const { x, y } = scatterColumns(points, 1, new GridSpec(0, 3, 1.5));
    expect(list(x)).toEqual([0, 2 + 3, 0 + 6, 2]);
    expect(list(y)).toEqual([0, 0, 4, 4 - 6]);
  });

  it('lays out [L, N, 2] layers on the grid with each layer kept whole', () => {
    const layers = nd([[[0, 0], [1, 0], [0, 1]], [[2, 2], [3, 2], [2, 3]]]);
    const { x, y } = scatterColumns(layers, 2, new GridSpec(0, 1, 2));
    expect(list(x)).toEqual([0, 1, 0, 2, 3, 2]);
    expect(list(y)).toEqual([0, 0, 1, 2 - 6, 2 - 6, 3 - 6]);
  });

  it('reports a value that is not finite, wherever it is', () => {
    const cases: [unknown, number, ColorSpec?][] = [
      [[[0, 1], [NaN, 2]], 1],
      [[[0, 1], [2, -Infinity]], 1],
      [[[0, 1, 2], [3, 4, 5]].map((row) => row.map((v) => (v === 4 ? Infinity : v))), 0],
      [[[0, 0, 0.5], [1, 1, NaN]], 1, new ColorSpec('Viridis256')],
    ];
    for (const [nested, spatialDim, color] of cases) {
      const data = readNdArray(nested, 'test(data)');
      expect(writeScatterColumns(data, spatialDim, scatterOutput(data, spatialDim, color), undefined, color)).toBe(false);
    }
  });

  it('keeps float32 input float32', () => {
    const f32 = toNdArray(Object.assign(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] }), 'test(data)');
    const { x, y, color } = scatterColumns(f32, 1, new GridSpec(0, 2), new ColorSpec('Viridis256', 0));
    for (const column of [x, y, color]) expect(column).toBeInstanceOf(Float32Array);
  });
});

describe('multiLineColumns', () => {
  it('makes one line per index along lineDims, points along the other axes', () => {
    const byFirst = multiLineColumns(cube, 1, [0]);
    expect([byFirst.lines, byFirst.points]).toEqual([2, 2]);
    expect(list(byFirst.x)).toEqual([0, 1, 100, 101]);
    const byLast = multiLineColumns(cube, 1, [2]);
    expect(list(byLast.x)).toEqual([0, 100, 1, 101]);
    expect(list(byLast.y)).toEqual([10, 110, 11, 111]);
  });
});

describe('GridSpec and ColorSpec arguments', () => {
  it('name the bad argument', () => {
    expect(() => new GridSpec(-1, 5)).toThrow(/^GridSpec\(dim\): expected an integer >= 0, got -1/);
    expect(() => new GridSpec(0, 0)).toThrow(/^GridSpec\(numColumns\)/);
    expect(() => new GridSpec(0, 2, 0)).toThrow(/^GridSpec\(paddingFactor\)/);
    expect(() => new ColorSpec('Viridis', 0)).toThrow(/^ColorSpec\(palette\): unknown palette "Viridis"; did you mean one of Viridis3, .*Viridis256/);
    expect(() => new ColorSpec('viridis256')).toThrow(/^ColorSpec\(palette\)/);
    expect(() => new ColorSpec('Category10_10', 1.5)).toThrow(/^ColorSpec\(dim\)/);
  });
});

describe('columns against a naive reference', () => {
  /** Every multi-index of `shape`, row-major. */
  const indices = (shape: number[]): number[][] =>
    shape.reduce<number[][]>((acc, size) => acc.flatMap((prefix) => Array.from({ length: size }, (_, i) => [...prefix, i])), [[]]);
  const flatAt = (shape: number[], index: number[]) => index.reduce((flat, i, axis) => flat * shape[axis] + i, 0);

  const arbitraryCase = fc
    .array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 })
    .chain((shape) => fc.record({ shape: fc.constant(shape), spatial: fc.nat(shape.length - 1), other: fc.nat(shape.length - 1) }));

  it('scatter: the point at each index off the spatial axis, slice index along another axis', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ shape: raw, spatial, other }) => {
        const shape = raw.map((n, axis) => (axis === spatial ? 2 : n));
        const data = Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i);
        const points = indices(shape.filter((_, axis) => axis !== spatial));
        const at = (point: number[], coord: number) => flatAt(shape, [...point.slice(0, spatial), coord, ...point.slice(spatial)]);
        const colorDim = other === spatial ? undefined : other;
        const { x, y, color } = scatterColumns({ data, shape }, spatial, undefined, colorDim === undefined ? undefined : new ColorSpec('Viridis256', colorDim));
        expect(list(x)).toEqual(points.map((p) => at(p, 0)));
        expect(list(y)).toEqual(points.map((p) => at(p, 1)));
        if (colorDim !== undefined) {
          const k = colorDim < spatial ? colorDim : colorDim - 1;
          expect(list(color)).toEqual(points.map((p) => (shape[colorDim] > 1 ? p[k] / (shape[colorDim] - 1) : 0)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('multilines: line l, point p at the matching indices', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ shape: raw, spatial, other }) => {
        fc.pre(other !== spatial);
        const shape = raw.map((n, axis) => (axis === spatial ? 2 : n));
        const data = Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i);
        const rest = shape.map((_, axis) => axis).filter((axis) => axis !== spatial && axis !== other);
        const expected: number[] = [];
        for (let l = 0; l < shape[other]; l++) {
          for (const point of indices(rest.map((axis) => shape[axis]))) {
            const index = shape.map(() => 0);
            index[other] = l;
            rest.forEach((axis, i) => (index[axis] = point[i]));
            expected.push(flatAt(shape, index));
          }
        }
        const { x, lines, points } = multiLineColumns({ data, shape }, spatial, [other]);
        expect([lines, points]).toEqual([shape[other], expected.length / shape[other]]);
        expect(list(x)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
