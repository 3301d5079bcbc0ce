import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { RunDirectory } from '../live/run-directory.js';
import type { Ingest } from '../source/ingest.js';
import { refuse } from './api-error.js';
import { FRAMES_CONTENT_TYPE, framesBody, JsonRecords } from './ingest-body.js';

/** Bytes of one ingest request. */
export const MAX_INGEST_BYTES = 64 * 2 ** 20;

/** The answer: how many records were taken (copies of records applied before are dropped by the run, and counted there). */
export interface IngestResponse {
  accepted: number;
}

/**
 * POST /api/runs/:run/records (`--ingest`): encoded frames (`application/x-streamvis`, one
 * or many, as a log holds them) or the JSON form, checked as log records are, all or
 * nothing per request, then handed to `ingest`.
 */
export function registerIngestRoute(app: Hono, directory: RunDirectory, ingest: Ingest): void {
  const json = new JsonRecords();
  app.post(
    '/api/runs/:run/records',
    bodyLimit({ maxSize: MAX_INGEST_BYTES, onError: () => refuse(413, `request body over ${MAX_INGEST_BYTES} bytes`) }),
    async (c) => {
      const run = c.req.param('run');
      if (!directory.serves(run)) refuse(404, `no such run: ${run.slice(0, 200)} (this server serves ${directory.filter === 'all' ? 'other runs' : directory.filter.join(', ')})`);
      const records = typeOf(c) === FRAMES_CONTENT_TYPE ? framesBody(new Uint8Array(await c.req.arrayBuffer()), run) : json.parse(await c.req.text(), run);
      await ingest.accept(records);
      return c.json<IngestResponse>({ accepted: records.length });
    },
  );
}

/** Frames or JSON: anything else (a form, text/plain, which a page of another site can send unasked) is refused. */
function typeOf(c: Context): string {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== FRAMES_CONTENT_TYPE && type !== 'application/json') {
    refuse(415, `Content-Type: expected ${FRAMES_CONTENT_TYPE} or application/json, got ${type === '' ? 'none' : `'${type.slice(0, 100)}'`}`);
  }
  return type;
}
