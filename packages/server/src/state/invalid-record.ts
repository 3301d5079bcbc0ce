/** A record that decodes but cannot apply to its plot (wrong arrays, a changed line count...). */
export class InvalidRecordError extends Error {
  override name = 'InvalidRecordError';
}
