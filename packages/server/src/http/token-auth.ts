import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { ApiError } from '../protocol.js';
import { tokenMatches, tokenTag } from '../access/token.js';
import { renderTokenPage } from '../view/token-page.js';

/** The page's paths: a browser asking for them is answered with HTML, not JSON. */
export const isPagePath = (path: string): boolean => path === '/' || path.startsWith('/runs/');

/**
 * Lets through only requests carrying `token`: in `Authorization: Bearer T` (scripts), in
 * the cookie the page gets (browsers), or as `?token=T` (the URL the server prints, and
 * clients that cannot set headers, such as a cross-origin EventSource). A page request with
 * `?token=` gets the cookie, HttpOnly and SameSite=Strict, and is sent to the same URL
 * without the token, so it leaves the address bar and the history.
 */
export function tokenAuth(token: string): MiddlewareHandler {
  // Named after the token, so servers on other ports of the same host keep their own cookie.
  const cookie = `streamvis-token-${tokenTag(token)}`;
  return async (c, next) => {
    const inQuery = c.req.query('token');
    if (inQuery !== undefined && !tokenMatches(inQuery, token)) return unauthorized(c, 'The token in the address is not this server\'s.');
    if (inQuery !== undefined && c.req.method === 'GET' && isPagePath(c.req.path)) {
      setCookie(c, cookie, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      const url = new URL(c.req.url);
      url.searchParams.delete('token');
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    const given = inQuery ?? bearerToken(c) ?? getCookie(c, cookie);
    if (given === undefined) return unauthorized(c, 'This server is reachable from other machines, so every request must carry its token.');
    if (!tokenMatches(given, token)) return unauthorized(c, 'The token given is not this server\'s.');
    await next();
  };
}

function bearerToken(c: Context): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(c.req.header('authorization') ?? '');
  return match?.[1];
}

function unauthorized(c: Context, reason: string): Response {
  const headers = { 'WWW-Authenticate': 'Bearer realm="streamvis"' };
  if (isPagePath(c.req.path)) return c.html(renderTokenPage(reason), 401, headers);
  return c.json<ApiError>({ error: `${reason} Send it as "Authorization: Bearer TOKEN" (or ?token=TOKEN); the page URL the server printed carries it.` }, 401, headers);
}
