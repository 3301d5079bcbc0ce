import { ArgumentError } from './argument-error.js';
import { MAX_NAME_LENGTH } from './limits.js';

// Each check throws an ArgumentError naming the argument (`where`) or returns the checked value.

export function checkInteger(value: unknown, where: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ArgumentError(`${where}: expected an integer >= ${min}, got ${describe(value)}`);
  }
  return value;
}

export function checkFinite(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ArgumentError(`${where}: expected a finite number, got ${describe(value)}`);
  return value;
}

export function checkPositive(value: unknown, where: string): number {
  if (checkFinite(value, where) <= 0) throw new ArgumentError(`${where}: expected a number > 0, got ${describe(value)}`);
  return value as number;
}

export function checkBoolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new ArgumentError(`${where}: expected true or false, got ${describe(value)}`);
  return value;
}

export function checkName(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new ArgumentError(`${where}: expected a non-empty string, got ${describe(value)}`);
  return value;
}

/** A name a record carries (run, logger, plot, array, cluster column): non-empty, at most MAX_NAME_LENGTH long. */
export function checkRecordName(value: unknown, where: string): string {
  if (!isRecordName(value)) {
    throw new ArgumentError(`${where}: expected a non-empty string of at most ${MAX_NAME_LENGTH} characters, got ${describe(value)}`);
  }
  return value;
}

export function isRecordName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME_LENGTH;
}

/** An axis of an array of `ndim` dimensions. */
export function checkAxis(value: unknown, ndim: number, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= ndim) {
    throw new ArgumentError(`${where}: expected an axis 0..${ndim - 1} of the ${ndim}-d data, got ${describe(value)}`);
  }
  return value;
}

/** Characters of a string value, and items of an array, shown in a message: a value never makes a message long. */
const SHOWN_CHARS = 40;
const SHOWN_ITEMS = 6;

/**
 * A short description of a value for an error message: strings quoted and cut, arrays by
 * their first items (nested ones as `[...]`, never walked), objects by their type.
 */
export function describe(value: unknown): string {
  if (Array.isArray(value)) {
    const shown = value.slice(0, SHOWN_ITEMS).map((item) => (Array.isArray(item) ? (item.length === 0 ? '[]' : '[...]') : describeScalar(item)));
    if (value.length > SHOWN_ITEMS) shown.push(`... (${value.length} items)`);
    return `[${shown.join(', ')}]`;
  }
  return describeScalar(value);
}

function describeScalar(value: unknown): string {
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value.length > SHOWN_CHARS ? value.slice(0, SHOWN_CHARS) : value);
    return value.length > SHOWN_CHARS ? `${quoted.slice(0, -1)}..." (${value.length} characters)` : quoted;
  }
  if (value === null || typeof value !== 'object') return String(value);
  return Object.prototype.toString.call(value).slice(8, -1);
}

/** Points a plot keeps: an integer >= 1. */
export function checkRollover(value: unknown, where: string): number {
  return checkInteger(value, where, 1);
}

/** `check(value)` unless the value is absent. */
export function checkOptional<T>(value: unknown, where: string, check: (value: unknown, where: string) => T): T | undefined {
  return value === undefined ? undefined : check(value, where);
}

/** An options object, its fields still to be checked one by one (so T only names them). */
export function checkOptionsObject<T extends object = Record<string, unknown>>(options: unknown, where: string): T {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ArgumentError(`${where}: expected an options object, got ${describe(options)}`);
  }
  return options as T;
}
