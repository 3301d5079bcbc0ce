/**
 * Who may reach a server: the options of `startServer` and the CLI (--allow-host,
 * --allow-origin, --token), checked and put in the form requests are compared against.
 * Each check throws an `AccessOptionError` whose message the caller prefixes with the
 * option's name as its user wrote it.
 */

export class AccessOptionError extends Error {
  override name = 'AccessOptionError';
}

/** What `--allow-host` and `--allow-origin` take to mean "any". */
export const ANY = '*';

/**
 * A host name as it appears in a Host header, without the port: lower case, IPv6
 * addresses in brackets (`[::1]`); undefined for text that is not one.
 */
export function hostNameOf(text: string): string | undefined {
  // A Host header is host[:port]: "a@b" or "a/b" would parse as a user name or a path.
  if (/[/?#@\\\s]/.test(text)) return undefined;
  try {
    return new URL(`http://${text}`).hostname;
  } catch {
    return undefined;
  }
}

/** `--allow-host NAME`: a host name without a port (any port is answered), or `*`. */
export function allowedHostName(text: string): string {
  if (text === ANY) return ANY;
  const name = hostNameOf(text);
  const port = /:\d*$/.test(text.replace(/^\[[^\]]*\]/, ''));
  if (name === undefined || port) {
    throw new AccessOptionError(`expected a host name or address without a port (e.g. myhost.example, 192.168.1.5, [fe80::1]), or *; got '${text}'`);
  }
  return name;
}

/** `--allow-origin ORIGIN`: `scheme://host[:port]` as browsers send it in Origin, or `*`. */
export function allowedOrigin(text: string): string {
  if (text === ANY) return ANY;
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@\\\s]+\/?$/i.test(text) ? originOf(text) : undefined;
  if (origin === undefined) {
    throw new AccessOptionError(`expected an origin, scheme://host[:port] without a path (e.g. http://dashboard.example:8080), or *; got '${text}'`);
  }
  return origin;
}

function originOf(text: string): string | undefined {
  try {
    const { origin } = new URL(text);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** Characters a token may hold: safe in a URL query, a cookie and an Authorization header as they are. */
const TOKEN_TEXT = /^[A-Za-z0-9._~-]+$/;

/** `--token T` / STREAMVIS_TOKEN. */
export function checkedToken(text: string): string {
  if (!TOKEN_TEXT.test(text)) throw new AccessOptionError(`use only letters, digits and - . _ ~ (at least one); got ${text === '' ? 'an empty token' : `'${text.slice(0, 20)}…'`}`);
  return text;
}

/** `check()`'s value; an AccessOptionError it throws comes out of `fail` with the option's `name` in front. */
export function checkOption<T>(name: string, check: () => T, fail: (message: string) => Error = (message) => new AccessOptionError(message)): T {
  try {
    return check();
  } catch (error) {
    throw error instanceof AccessOptionError ? fail(`${name}: ${error.message}`) : error;
  }
}
