import { jsonText } from './json-chunks.js';

/** Response bodies that produce their bytes as the client takes them (backpressure). */

/** A response body that hands the chunks out as the client takes them (backpressure). */
export function streamOf(chunks: readonly Buffer[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]);
      else controller.close();
    },
  });
}

/** A response body that encodes each text chunk as the client asks for the next. */
export function textStream(chunks: AsyncIterator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    // The client went: the producer stops where it is.
    async cancel() {
      await chunks.return?.();
    },
  });
}

/** A response body of `value`'s JSON, encoded in turns of the event loop as the client takes it (see jsonText). */
export function jsonStream(value: unknown): ReadableStream<Uint8Array> {
  return textStream(jsonText(value));
}
