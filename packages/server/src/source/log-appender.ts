import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Appends frames to a log, one awaited write each, on an O_APPEND handle: the kernel puts a
 * whole write at the end of the file, so frames never interleave with other writers'.
 * A failed or short write throws (a torn frame left behind is skipped by readers through
 * its checksum); the next append reopens the file.
 */
export class LogAppender {
  private handle: FileHandle | undefined;

  constructor(readonly path: string) {}

  async append(frame: Uint8Array): Promise<void> {
    try {
      if (!this.handle) {
        await mkdir(dirname(this.path), { recursive: true });
        this.handle = await open(this.path, 'a');
      }
      const { bytesWritten } = await this.handle.write(frame);
      if (bytesWritten !== frame.length) throw new Error(`short write: ${bytesWritten} of ${frame.length} bytes`);
    } catch (error) {
      await this.close();
      throw new Error(`appending to ${this.path} failed: ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }
}
