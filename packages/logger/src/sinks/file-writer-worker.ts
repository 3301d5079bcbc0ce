// The file sink's writer thread: owns the log's O_APPEND handle and appends the frames the
// producer thread posts, so writing goes on while the producer runs without yielding.
import { parentPort, workerData } from 'node:worker_threads';
import { FileAppender } from './file-appender.js';
import type { FromWriter, ToWriter, WriterSettings } from './file-writer-messages.js';
import { spansItsBuffer } from './frame-outbox.js';
import { WriterProgress } from './writer-progress.js';

const port = parentPort!;
const { spent, replies, progress: progressMemory, ...settings } = workerData as WriterSettings;
const post = (message: FromWriter) => replies.postMessage(message);
const progress = new WriterProgress(progressMemory);
// Also on a crash: a producer blocked waiting for room must not wait for ever.
process.on('exit', () => progress.markGone());
const appender = new FileAppender({
  ...settings,
  onError: (error) => {
    progress.setFailing(true);
    post({ type: 'error', message: error.message, ...codeOf(error) });
  },
  onWritten: (frames) => {
    progress.setFailing(false);
    progress.addWritten(frames.reduce((sum, frame) => sum + frame.length, 0));
    // Only a buffer holding one frame is surely no longer needed here (chunks may hold frames still queued).
    const buffers = frames.filter(spansItsBuffer).map((frame) => frame.buffer as ArrayBuffer);
    if (buffers.length > 0) spent.postMessage(buffers, buffers);
  },
});

port.on('message', (message: ToWriter) => {
  switch (message.type) {
    case 'frames':
      for (const { buffer, start, lengths } of message.parts) {
        let offset = start;
        for (const length of lengths) {
          appender.write(Buffer.from(buffer, offset, length));
          offset += length;
        }
      }
      break;
    case 'flush':
      void appender.flush().then((report) => post({ type: 'report', id: message.id, report }));
      break;
    case 'close':
      // The ports stay open: the thread ends when the producer terminates it, on this report.
      // Ending on its own, its exit could reach the producer before the report (another port).
      void appender.close().then((report) => post({ type: 'report', id: message.id, report }));
      break;
  }
});

function codeOf(error: Error): { code?: string } {
  const { code } = error as NodeJS.ErrnoException;
  return typeof code === 'string' ? { code } : {};
}
