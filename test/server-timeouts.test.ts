/**
 * A client cannot hold a socket by sending slowly: the headers and the whole request have
 * to arrive within their timeouts (short ones here; seconds by default), while answers
 * that last, the event streams, stay open as long as the client keeps them.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataLogger } from '@streamvis/logger';
import { FileSource, startServer, type DeltaBatch, type RunningServer, type RunSnapshot } from '@streamvis/server';
import { linesFrame } from './support/server-records.js';
import { SseStream } from './support/server-sse.js';

const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;

let dir: string;
let log: string;
let server: RunningServer;
const streams: SseStream[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svtimeouts-'));
  log = join(dir, 'run.svlog');
  const logger = new DataLogger('run');
  await logger.initWriteLog(log);
  logger.tandemLines('loss', 0, [1]);
  logger.cluster('flow', Array.from({ length: 60 }, (_, i) => [i % 3, (i % 3) * 10]), { columns: ['a', 'b'], k: 3 });
  await logger.shutdown();
  server = await startServer({ mode: 'file', port: 0, run: 'run', source: new FileSource(log), headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS });
});
afterAll(async () => {
  streams.forEach((stream) => stream.close());
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Sends `text` on a new socket, then nothing; resolves with what the server sent once it closes the socket. */
function stall(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('request timeouts', () => {
  it('drops a request whose headers never finish, and one whose announced body never comes, without logging a failure', async () => {
    const failures = vi.spyOn(console, 'error');
    try {
      const [slowHeaders, slowBody] = await Promise.all([
        stall('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '),
        stall('POST /api/runs/run/plots/flow/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"points": ['),
      ]);
      // Node answers 408 when it can; either way the socket is closed, not held for minutes.
      for (const answer of [slowHeaders, slowBody]) expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
      expect(failures).not.toHaveBeenCalled();
    } finally {
      failures.mockRestore();
    }
    expect((await fetch(new URL('/api/health', server.url))).status).toBe(200);
  });

  it('keeps an event stream open past the request timeout, still delivering updates', async () => {
    const stream = await SseStream.open(new URL('/api/runs/run/events', server.url).href);
    streams.push(stream);
    await stream.nextJson<RunSnapshot>('snapshot');
    await sleep(REQUEST_TIMEOUT_MS + 2_000);
    await appendFile(log, linesFrame('loss', 1, [2]));
    expect((await stream.nextJson<DeltaBatch>('delta')).deltas[0].columns).toEqual({ x: [1], y0: [2] });
  });
});
