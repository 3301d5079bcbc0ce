import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { ANY } from '../access/access-options.js';

/** The one route other sites may always call: documented as open to the clustering service's browser clients. */
const PREDICT_PATH = /^\/api\/runs\/[^/]+\/plots\/[^/]+\/predict$/;
/** Request headers a cross-origin script may send: JSON bodies and the server's token. */
const ALLOW_HEADERS = ['Content-Type', 'Authorization'];

/**
 * CORS for /api/*: the predict route answers any origin (it changes nothing and takes
 * only JSON, so a browser asks first); every other route answers only the origins of
 * `--allow-origin` (`*` for any), and by default none, so no other site's page can read
 * the run's data.
 */
export function corsPolicy(allowOrigins: readonly string[]): MiddlewareHandler {
  const predict = cors({ origin: ANY, allowMethods: ['POST'], allowHeaders: ALLOW_HEADERS });
  const allowed = new Set(allowOrigins);
  const data =
    allowed.size === 0
      ? undefined
      : cors({
          origin: allowed.has(ANY) ? ANY : (origin) => (allowed.has(origin) ? origin : null),
          allowMethods: ['GET', 'HEAD', 'POST'],
          allowHeaders: ALLOW_HEADERS,
        });
  return async (c, next) => {
    if (PREDICT_PATH.test(c.req.path)) return predict(c, next);
    if (data) return data(c, next);
    await next();
  };
}
