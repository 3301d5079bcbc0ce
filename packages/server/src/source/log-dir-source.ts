import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FileSource } from './file-source.js';
import { MergedSource } from './merged-source.js';
import type { RecordSource, SourceHandlers } from './source.js';

/** What names a log. */
export const LOG_SUFFIX = '.svlog';

/** Logs whose history is read at the same time. */
const HISTORY_READERS = 4;

export interface LogDirSourceOptions {
  /** How often the directory is scanned again when no change notification arrives. */
  pollMs?: number;
  warn?: (message: string) => void;
}

/**
 * Every log (`*.svlog`) under a directory, in subdirectories too, each tailed by a
 * FileSource; a log that appears later is picked up while the server runs. Changes are
 * noticed through a watch on the directory plus a rescan every `pollMs` (subdirectories,
 * file systems without notifications). The history is in once every log found at start
 * has been read to the end it had.
 */
export class LogDirSource implements RecordSource {
  private readonly merged = new MergedSource();
  private readonly known = new Set<string>();
  private readonly pollMs: number;
  private readonly warn: (message: string) => void;
  private watcher: FSWatcher | undefined;
  private poller: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private lastFailure: string | undefined;
  private stopped = false;
  /** Tells users that the directory cannot be listed. */
  private failureHandler: ((message: string) => void) | undefined;

  constructor(
    readonly dir: string,
    options: LogDirSourceOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1_000;
    this.warn = options.warn ?? ((message) => console.warn(`streamvis-server: ${message}`));
  }

  async start(handlers: SourceHandlers): Promise<void> {
    this.failureHandler = (message) => handlers.failure(message);
    const found = await this.logs();
    const history = this.merged.start(handlers);
    // The history is read a few logs at a time: a hundred logs read at once would each hold
    // their read chunks at the same time (peak memory), for no gain on one disk.
    const queue = [...found];
    found.forEach((path) => this.known.add(path));
    const readers = Array.from({ length: Math.min(HISTORY_READERS, queue.length) }, async () => {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) await this.follow(path);
    });
    try {
      this.watcher = watch(this.dir, () => void this.rescan());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // No directory yet, or no notifications here: the rescans still find what appears.
    }
    this.poller = setInterval(() => void this.rescan(), this.pollMs);
    await Promise.all([history, ...readers]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    clearInterval(this.poller);
    await this.scanning;
    await this.merged.stop();
  }

  /** Starts tailing `path`; resolves when its history is in. */
  private follow(path: string): Promise<void> {
    this.known.add(path);
    return this.merged.add(new FileSource(path, { warn: this.warn }));
  }

  private rescan(): Promise<void> {
    this.scanning ??= (async () => {
      const found = await this.logs();
      for (const path of found) if (!this.known.has(path) && !this.stopped) void this.follow(path);
      this.scanning = undefined;
    })();
    return this.scanning;
  }

  /** The logs under the directory now, in name order; none when it cannot be read (said once per distinct failure). */
  private async logs(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir, { recursive: true });
      this.lastFailure = undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const failure = `cannot list ${this.dir}: ${(error as Error).message}; looking again every ${this.pollMs} ms`;
      if (code !== 'ENOENT' && failure !== this.lastFailure) {
        this.warn(failure);
        this.failureHandler?.(failure);
      }
      this.lastFailure = failure;
      return [];
    }
    return names.filter((name) => name.endsWith(LOG_SUFFIX)).sort().map((name) => join(this.dir, name));
  }
}
