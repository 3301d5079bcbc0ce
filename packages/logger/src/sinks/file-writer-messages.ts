import type { MessagePort } from 'node:worker_threads';
import type { FramePart } from './frame-outbox.js';
import type { SinkReport } from './sink.js';

// What the file sink (producer thread) and its writer thread say to each other.

/** Settings the writer thread starts with (its `workerData`). */
export interface WriterSettings {
  name: string;
  path: string;
  /** A WriterProgress's memory: the writer counts the bytes it has written there. */
  progress: SharedArrayBuffer;
  /** Where the writer answers (FromWriter): a port of its own, which the producer can read while it blocks. */
  replies: MessagePort;
  /**
   * Where the writer hands back the buffers of frames it has written, for the producer
   * thread to drop: that thread's frequent garbage collections free them for its next
   * frames, where the writer's rare ones would let hundreds of MB pile up.
   */
  spent: MessagePort;
}

export type ToWriter =
  /** Frames to append, in order; their buffers are transferred. */
  | { type: 'frames'; parts: FramePart[] }
  /** Answer with a report once everything sent before is written or an attempt failed; after `close`, the producer terminates the thread. */
  | { type: 'flush' | 'close'; id: number };

export type FromWriter =
  | { type: 'report'; id: number; report: SinkReport }
  | { type: 'error'; message: string; code?: string };
