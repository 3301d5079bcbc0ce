import { isUtf8 } from 'node:buffer';
import { ArgumentError } from './argument-error.js';
import { MAX_VARINT_BYTES } from './varint.js';

/** A field's name in a message, or what makes it: a name built only when a message needs it costs a hot loop nothing. */
export type FieldName = string | (() => string);

const nameOf = (field: FieldName): string => (typeof field === 'string' ? field : field());

/**
 * Reads a version 2 header's fields in order, from `at` up to `end` of `bytes`. A field
 * that would run past `end`, or that is malformed, throws an ArgumentError naming it.
 */
export class ByteCursor {
  bytes: Buffer = Buffer.alloc(0);
  at = 0;
  end = 0;

  /** Reads `bytes` from `at` up to `end` from now on (one cursor serves every header: no object per record). */
  reset(bytes: Buffer, at: number, end: number): this {
    this.bytes = bytes;
    this.at = at;
    this.end = end;
    return this;
  }

  private need(count: number, field: FieldName): void {
    if (this.at + count > this.end) throw new ArgumentError(`header.${nameOf(field)}: the header ends inside it (${this.end - this.at} bytes left, ${count} needed)`);
  }

  u8(field: FieldName): number {
    this.need(1, field);
    return this.bytes[this.at++];
  }

  /** `within` prefixes the field's name in a message (`opts.`), so that no name is made per record. */
  f64(field: string, within = ''): number {
    this.need(8, within + field);
    const value = this.bytes.readDoubleLE(this.at);
    this.at += 8;
    return value;
  }

  /** An unsigned LEB128 integer of at most `max`. */
  varint(field: FieldName, max: number): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.at >= this.end) break;
      const byte = this.bytes[this.at++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (value > max) throw new ArgumentError(`header.${nameOf(field)}: expected an integer 0..${max}, got ${value}`);
        return value;
      }
      scale *= 0x80;
    }
    throw new ArgumentError(`header.${nameOf(field)}: not a varint of at most ${MAX_VARINT_BYTES} bytes within the header`);
  }

  skip(count: number, field: string): void {
    this.need(count, field);
    this.at += count;
  }

  /** A UTF-8 string after its byte length (a varint of at most `maxBytes`). */
  string(field: string, maxBytes: number): string {
    const length = this.varint(`${field} length`, maxBytes);
    this.need(length, field);
    const start = this.at;
    this.at += length;
    const text = this.bytes.toString('utf8', start, this.at);
    // Bytes that are not UTF-8 decode to U+FFFD: only a string holding one needs the exact check.
    if (text.includes('\uFFFD') && !isUtf8(this.bytes.subarray(start, this.at))) throw new ArgumentError(`header.${field}: not valid UTF-8`);
    return text;
  }
}
