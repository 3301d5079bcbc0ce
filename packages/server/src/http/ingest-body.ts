import { randomBytes } from 'node:crypto';
import { DTYPES, encodeRecord, FrameReader, isDType, readFrame, type ArrayInput, type RecordFields } from '@streamvis/format';
import type { IngestedRecord } from '../source/ingest.js';
import { refuse } from './api-error.js';
import { jsonPreview } from './json-preview.js';

/** The encoded records' media type: one or more frames of docs/log-format.md, back to back. */
export const FRAMES_CONTENT_TYPE = 'application/x-streamvis';
/** Records one request may carry. */
export const MAX_INGEST_RECORDS = 100_000;

/** A record in the JSON form (what `curl` can send): the header's fields, and arrays as numbers. */
export interface JsonRecord {
  kind: string;
  plot?: string;
  opts: Record<string, unknown>;
  /** By name: numbers (one dimension, float64) or `{shape, data, dtype?}`. */
  arrays?: Record<string, number[] | { shape: number[]; data: number[]; dtype?: string }>;
  /** With `seq`, identifies the record: a copy is dropped. Default: the server's own id for HTTP records, and the next number. */
  logger?: string;
  seq?: number;
  /** ms since the epoch; default now. */
  time?: number;
}

/** Frames, back to back: each must be a whole valid record of run `run`; any that is not refuses the whole request. */
export function framesBody(bytes: Uint8Array, run: string): IngestedRecord[] {
  const reader = new FrameReader();
  reader.push(bytes);
  const records: IngestedRecord[] = [];
  for (const event of reader.drain()) {
    if (event.type === 'corrupt') refuse(400, `record ${records.length + 1} (at byte ${event.offset}): ${event.reason}; nothing was taken`);
    else records.push({ record: event.record, frame: event.frame }); // views of the request's body, which nothing else uses
  }
  if (reader.pendingBytes > 0) refuse(400, `the last ${reader.pendingBytes} bytes are not a whole record; nothing was taken`);
  if (records.length === 0) refuse(400, 'no record in the body');
  return checked(records, run);
}

/**
 * The JSON form's records, numbered for the server: a record that gives no logger and seq
 * gets this server's own logger id and its next number.
 */
export class JsonRecords {
  private readonly logger = `http-${randomBytes(6).toString('hex')}`;
  private nextSeq = 0;

  /** `{"records": [...]}` or one record: encoded and decoded as the logger's records are, so the same checks apply. */
  parse(text: string, run: string): IngestedRecord[] {
    return jsonBody(text, run, () => ({ logger: this.logger, seq: this.nextSeq++ }));
  }
}

function jsonBody(text: string, run: string, number: () => { logger: string; seq: number }): IngestedRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuse(400, 'the body is not JSON: expected {"records": [{"kind": "lines", "plot": "loss", "opts": {"x": 0}, "arrays": {"y": [0.5]}}]}');
  }
  const items = isObject(parsed) && Array.isArray(parsed.records) ? (parsed.records as unknown[]) : [parsed];
  if (items.length > MAX_INGEST_RECORDS) refuse(413, `records: at most ${MAX_INGEST_RECORDS} per request, got ${items.length}`);
  const single = !(isObject(parsed) && Array.isArray(parsed.records));
  return checked(items.map((item, i) => jsonRecord(item, run, single ? 'the record' : `records[${i}]`, number)), run);
}

function jsonRecord(item: unknown, run: string, where: string, number: () => { logger: string; seq: number }): IngestedRecord {
  if (!isObject(item)) return refuse(400, `${where}: expected an object with kind, plot, opts and arrays, got ${jsonPreview(item)}`);
  const { kind, plot, opts, arrays = {}, logger, seq, time = Date.now() } = item as Partial<JsonRecord> & Record<string, unknown>;
  if (typeof kind !== 'string') refuse(400, `${where}.kind: expected a record kind, got ${jsonPreview(kind)}`);
  if (logger !== undefined && typeof logger !== 'string') refuse(400, `${where}.logger: expected a string, got ${jsonPreview(logger)}`);
  if ((logger === undefined) !== (seq === undefined)) refuse(400, `${where}: give logger and seq together (they identify the record), or neither`);
  if (!isObject(arrays)) refuse(400, `${where}.arrays: expected an object of named arrays, got ${jsonPreview(arrays)}`);
  const inputs = Object.entries(arrays as Record<string, unknown>).map(([name, value]) => arrayInput(value, `${where}.arrays.${name}`, name));
  const id = logger === undefined ? number() : { logger, seq };
  const fields = { run, ...id, time, kind, ...(plot === undefined ? {} : { plot }), opts } as unknown as RecordFields;
  let frame: Buffer;
  try {
    frame = encodeRecord(fields, inputs);
  } catch (error) {
    return refuse(400, `${where}: ${(error as Error).message}`);
  }
  // Decoded as any record from a log is: the same checks, the same messages.
  const read = readFrame(frame, 0);
  if (read.status !== 'record') return refuse(400, `${where}: ${read.status === 'corrupt' ? read.reason : 'not a whole record'}`);
  return { record: read.record, frame };
}

function arrayInput(value: unknown, where: string, name: string): ArrayInput {
  const numbers = (list: unknown, at: string): number[] => {
    if (!Array.isArray(list)) return refuse(400, `${at}: expected an array of numbers, got ${jsonPreview(list)}`);
    list.forEach((item: unknown, i) => {
      if (typeof item !== 'number') refuse(400, `${at}[${i}]: expected a number, got ${jsonPreview(item)}`);
    });
    return list as number[];
  };
  if (Array.isArray(value)) return { name, shape: [value.length], data: Float64Array.from(numbers(value, where)) };
  if (!isObject(value)) return refuse(400, `${where}: expected numbers or {"shape", "data", "dtype"}, got ${jsonPreview(value)}`);
  const dtype = value.dtype ?? 'float64';
  if (!isDType(dtype)) return refuse(400, `${where}.dtype: expected one of ${Object.keys(DTYPES).join(', ')}, got ${jsonPreview(dtype)}`);
  const shape = numbers(value.shape, `${where}.shape`);
  return { name, shape, data: DTYPES[dtype].from(numbers(value.data, `${where}.data`)) as ArrayInput['data'] };
}

/** Every record must be of the run its URL names. */
function checked(records: IngestedRecord[], run: string): IngestedRecord[] {
  if (records.length > MAX_INGEST_RECORDS) refuse(413, `at most ${MAX_INGEST_RECORDS} records per request, got ${records.length}`);
  records.forEach(({ record }, i) => {
    if (record.header.run !== run) refuse(400, `record ${i + 1} is of run '${record.header.run.slice(0, 200)}', not '${run.slice(0, 200)}' (the run in the URL); nothing was taken`);
  });
  return records;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
