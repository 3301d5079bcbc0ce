import type { MiddlewareHandler } from 'hono';
import { ANY, hostNameOf } from '../access/access-options.js';
import { refuse } from './api-error.js';

/**
 * Answers only requests whose Host header names the server (any port): a page of another
 * site that rebinds its own name to this machine's address (DNS rebinding) sends its own
 * name, and is refused before anything is read. `names` holds `*` to answer any.
 */
export function hostCheck(names: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    if (!names.has(ANY)) {
      const header = c.req.header('host') ?? '';
      const name = hostNameOf(header);
      if (name === undefined || !names.has(name)) {
        refuse(403, `this server does not answer to the host name '${header.slice(0, 200)}': start it with --allow-host ${(name ?? 'NAME').slice(0, 200)} to allow it`);
      }
    }
    await next();
  };
}
