import type { LogRecord, NamedArray } from '@streamvis/format';
import { InvalidRecordError } from './invalid-record.js';

/** The record's array `name`, checked to have `dims` dimensions. */
export function requireArray(record: LogRecord, name: string, dims: number): NamedArray {
  const array = record.arrays[name];
  if (!array) throw new InvalidRecordError(`record lacks array '${name}'`);
  if (array.shape.length !== dims) {
    throw new InvalidRecordError(`array '${name}' has shape [${array.shape}], expected ${dims} dimension(s)`);
  }
  return array;
}

export function optionalArray(record: LogRecord, name: string, dims: number): NamedArray | undefined {
  return record.arrays[name] ? requireArray(record, name, dims) : undefined;
}

export function requireSameShape(a: NamedArray, b: NamedArray, names: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((n, i) => n !== b.shape[i])) {
    throw new InvalidRecordError(`arrays ${names} differ in shape: [${a.shape}] vs [${b.shape}]`);
  }
}

/** The rollover a record asks for: a positive integer, else the server's default. */
export function rolloverOf(requested: unknown, fallback: number): number {
  return typeof requested === 'number' && Number.isSafeInteger(requested) && requested > 0 ? requested : fallback;
}
