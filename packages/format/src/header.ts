import { ArgumentError } from './argument-error.js';
import { checkFinite, checkInteger, checkRecordName, describe } from './checks.js';
import { DTYPE_NAMES, isDType, itemSize } from './dtype.js';
import { isRecordKind, RECORD_KINDS, type KindSchema, type RecordKind } from './kinds.js';
import { MAX_BODY_BYTES, MAX_DIMENSIONS, MAX_DIMENSION_SIZE, MAX_NAME_LENGTH } from './limits.js';
import { recordArrays, type ArrayNamer } from './options/arrays.js';
import { recordOptions, type FieldNamer } from './options/field.js';
import { FORMAT_VERSION, type ArrayDescriptor, type RecordHeader } from './record.js';

/** Descriptors past which duplicate names are found with a Set rather than by comparing each pair. */
const FEW_ARRAYS = 8;

/** The names of each kind's options and arrays in error messages, made once (every record is checked). */
export const KIND_NAMERS = Object.fromEntries(Object.keys(RECORD_KINDS).map((kind) => [kind, { options: recordOptions(kind), arrays: recordArrays(kind) }])) as Record<
  RecordKind,
  { options: FieldNamer; arrays: ArrayNamer }
>;

/**
 * Checks a parsed header against the format (docs/log-format.md, "Header") and the schema
 * of its kind, for a frame whose body is `bodyBytes` long; throws an ArgumentError naming
 * the field, its value and the rule it breaks. Returns the parsed object with its options
 * replaced by the kind's parsed options; fields a reader does not know stay in it, never
 * looked into.
 */
export function parseHeader(parsed: unknown, bodyBytes: number): RecordHeader {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ArgumentError(`header: expected a JSON object, got ${describe(parsed)}`);
  }
  const fields = parsed as Record<string, unknown>;
  if (fields.v !== FORMAT_VERSION) throw new ArgumentError(`header.v: expected ${FORMAT_VERSION} (the format version this reader reads), got ${describe(fields.v)}`);
  checkRecordName(fields.run, 'header.run');
  checkRecordName(fields.logger, 'header.logger');
  checkInteger(fields.seq, 'header.seq', 0);
  checkFinite(fields.time, 'header.time');
  const kind = checkKind(fields.kind);
  if (kind !== 'layout' && kind !== 'clear') checkRecordName(fields.plot, 'header.plot');
  const arrays = checkDescriptors(fields.arrays, bodyBytes);
  // A kind's arrays rule takes the options its own parser returns.
  const { options, arrays: arraysRule } = RECORD_KINDS[kind] as unknown as KindSchema<unknown>;
  fields.opts = options(fields.opts, KIND_NAMERS[kind].options);
  arraysRule(arrays, fields.opts, KIND_NAMERS[kind].arrays);
  // Every field the types promise has been checked above, with its kind's own schema.
  return fields as unknown as RecordHeader;
}

function checkKind(kind: unknown): RecordKind {
  if (!isRecordKind(kind)) throw new ArgumentError(`header.kind: expected one of ${Object.keys(RECORD_KINDS).join(', ')}, got ${describe(kind)}`);
  return kind;
}

/** The array descriptors: distinct names, known dtypes, shapes within the bounds, adding up to the body's length. */
function checkDescriptors(value: unknown, bodyBytes: number): ArrayDescriptor[] {
  if (!Array.isArray(value)) throw new ArgumentError(`header.arrays: expected a list of {name, dtype, shape}, got ${describe(value)}`);
  const seen = value.length > FEW_ARRAYS ? new Set<string>() : undefined;
  let total = 0;
  for (let i = 0; i < value.length && total <= bodyBytes; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new ArgumentError(`header.arrays[${i}]: expected {name, dtype, shape}, got ${describe(item)}`);
    const { name, dtype, shape } = item as Record<string, unknown>;
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) checkRecordName(name, `header.arrays[${i}].name`);
    if (seen ? seen.has(name as string) : isEarlierName(value, i)) {
      throw new ArgumentError(`header.arrays[${i}].name: ${describe(name)} names an earlier array too; names are unique in a record`);
    }
    seen?.add(name as string);
    if (!isDType(dtype)) throw new ArgumentError(`header.arrays[${i}].dtype: expected one of ${DTYPE_NAMES.join(', ')}, got ${describe(dtype)}`);
    // A sum of many large arrays stops early (the loop's condition), before it could lose precision.
    total += elementCount(checkShape(shape, i)) * itemSize(dtype);
  }
  if (total !== bodyBytes) {
    const need = total > bodyBytes ? `more than ${bodyBytes}` : String(total);
    throw new ArgumentError(`header.arrays: the arrays take ${need} body bytes, the frame's body has ${bodyBytes}`);
  }
  return value as ArrayDescriptor[];
}

/** Descriptor i's name is an earlier descriptor's (for the few arrays of a usual record). */
function isEarlierName(descriptors: unknown[], i: number): boolean {
  const { name } = descriptors[i] as { name: string };
  for (let j = 0; j < i; j++) if ((descriptors[j] as { name: string }).name === name) return true;
  return false;
}

function checkShape(shape: unknown, descriptor: number): number[] {
  const where = () => `header.arrays[${descriptor}].shape`;
  if (!Array.isArray(shape)) throw new ArgumentError(`${where()}: expected a list of sizes, got ${describe(shape)}`);
  if (shape.length > MAX_DIMENSIONS) throw new ArgumentError(`${where()}: expected at most ${MAX_DIMENSIONS} dimensions, got ${shape.length}`);
  for (let d = 0; d < shape.length; d++) {
    const size: unknown = shape[d];
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > MAX_DIMENSION_SIZE) {
      throw new ArgumentError(`${where()}[${d}]: expected an integer 0..${MAX_DIMENSION_SIZE}, got ${describe(size)}`);
    }
  }
  return shape as number[];
}

/** Elements of an array of this shape (its first `ndim` sizes), or a number past MAX_BODY_BYTES when there are more than that. */
export function elementCount(shape: readonly number[], ndim = shape.length): number {
  for (let d = 0; d < ndim; d++) if (shape[d] === 0) return 0;
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    count *= shape[d];
    if (count > MAX_BODY_BYTES) return MAX_BODY_BYTES + 1;
  }
  return count;
}
