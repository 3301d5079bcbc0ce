import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiError } from '../protocol.js';

/** Refuses a request: thrown by any handler, rendered once by `renderError` as JSON `{error}`. */
export function refuse(status: 400 | 403 | 404 | 409 | 413 | 415, message: string): never {
  throw new HTTPException(status, { message });
}

/**
 * The app's one error path: refusals as their status, a client that hung up mid-request
 * (nobody reads the answer) quietly, anything else as a logged 500.
 */
export function renderError(error: Error, c: Context): Response {
  if (error instanceof HTTPException && error.status < 500) {
    return c.json<ApiError>({ error: error.message }, error.status as ContentfulStatusCode);
  }
  // The request's signal is aborted once the client's connection closes before the answer.
  if (c.req.raw.signal.aborted) return c.json<ApiError>({ error: 'the client closed the connection' }, 400);
  console.error('streamvis-server: request failed:', error);
  return c.json<ApiError>({ error: 'internal server error' }, 500);
}

