/**
 * At most about `limit` characters of a parsed JSON value, written as JSON, for an error
 * message. However deep or big the value is, this stops once `limit` characters are written
 * (JSON.stringify of a value nested 10,000 deep overflows the stack): each level writes a
 * bracket before going deeper, so it never goes more than `limit` levels down.
 */
export function jsonPreview(value: unknown, limit = 100): string {
  const out: string[] = [];
  let length = 0;
  const write = (text: string) => {
    out.push(text);
    length += text.length;
  };
  const visit = (item: unknown): void => {
    if (length >= limit) return;
    if (Array.isArray(item)) {
      write('[');
      for (let i = 0; i < item.length && length < limit; i++) {
        if (i > 0) write(',');
        visit(item[i]);
      }
      write(']');
    } else if (typeof item === 'object' && item !== null) {
      write('{');
      let first = true;
      for (const key in item) {
        if (length >= limit) break;
        if (!first) write(',');
        first = false;
        write(`${JSON.stringify(key.slice(0, limit))}:`);
        visit((item as Record<string, unknown>)[key]);
      }
      write('}');
    } else {
      write(typeof item === 'string' ? JSON.stringify(item.slice(0, limit)) : String(item));
    }
  };
  visit(value);
  const text = out.join('');
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
