/**
 * Who can reach the server (docs/reliability.md): real servers on real sockets, real fetch.
 * The Host header is checked, no other site's page may read the data unless allowed, and
 * a server bound beyond loopback (here 0.0.0.0, reached through 127.0.0.1) asks for a token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSource, startServer, type RunningServer, type RunSnapshot, type ServerOptions } from '@streamvis/server';
import { rawGet } from './support/raw-http.js';
import { layoutFrame, linesFrame, scatterFrame } from './support/server-records.js';
import { SseStream } from './support/server-sse.js';

let dir: string;
let log: string;
const servers: RunningServer[] = [];
const streams: SseStream[] = [];
const serve = async (options: Partial<ServerOptions> = {}) => {
  const server = await startServer({ mode: 'file', port: 0, run: 'run', source: new FileSource(log), ...options });
  servers.push(server);
  return server;
};
/** The server's port on 127.0.0.1, whatever address it is bound to. */
const local = (server: RunningServer, path: string) => `http://127.0.0.1:${server.port}${path}`;
const openEvents = async (server: RunningServer, path: string, headers: Record<string, string>) => {
  const stream = await SseStream.open(local(server, path), headers);
  streams.push(stream);
  return stream;
};

/** Answered by plain loopback, foreign Host names refused. */
let plain: RunningServer;
/** Also answers streamvis.test; pages of http://dashboard.test may read the API. */
let widened: RunningServer;
/** Bound to every interface: asks for its generated token. */
let exposed: RunningServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svaccess-'));
  log = join(dir, 'run.svlog');
  await writeFile(log, Buffer.concat([layoutFrame({ loss: [0, 0, 1, 1] }), linesFrame('loss', 0, [1]), linesFrame('loss', 1, [2]), scatterFrame('points', [1, 2], [3, 4], { append: false })]));
  plain = await serve();
  widened = await serve({ allowHosts: ['streamvis.test'], allowOrigins: ['http://dashboard.test'] });
  exposed = await serve({ host: '0.0.0.0' });
});
afterAll(async () => {
  streams.forEach((stream) => stream.close());
  await Promise.all(servers.map((server) => server.close()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Every kind of thing the server answers: page, static file, JSON API, event streams, binary frame. */
const ROUTES = ['/', '/runs/run', '/static/client.js', '/api/health', '/api/runs', '/api/runs/run', '/api/runs/run/plots/loss', '/api/runs/run/plots/loss/frame', '/api/runs/run/events', '/api/runs/run/changes'];
/** The answer's headers and status; the body only when it is not an event stream. */
const headOf = async (url: string, init: RequestInit = {}) => {
  const controller = new AbortController();
  const response = await fetch(url, { ...init, signal: controller.signal, redirect: 'manual' });
  const streaming = response.headers.get('content-type')?.startsWith('text/event-stream');
  const body = streaming ? '' : await response.text();
  controller.abort();
  return { status: response.status, headers: response.headers, body };
};

describe('the Host header', () => {
  it('answers localhost, 127.0.0.1 and [::1] at any port', async () => {
    for (const host of ['localhost', `localhost:${plain.port}`, '127.0.0.1:1', '[::1]', `[::1]:${plain.port}`, 'LOCALHOST']) {
      expect({ host, status: (await rawGet(local(plain, '/api/health'), { Host: host })).status }).toEqual({ host, status: 200 });
    }
  });

  it('refuses any other name with a JSON 403 saying how to allow it, on every route', async () => {
    for (const host of ['evil.example', `evil.example:${plain.port}`, 'localhost.evil.example', '127.0.0.1.nip.example', '10.0.0.1', 'streamvis.test']) {
      for (const path of ROUTES) {
        const answer = await rawGet(local(plain, path), { Host: host });
        expect({ host, path, status: answer.status, type: answer.headers['content-type'] }).toEqual({ host, path, status: 403, type: expect.stringMatching(/^application\/json/) });
        expect(JSON.parse(answer.body).error).toMatch(/--allow-host/);
      }
    }
  });

  it('answers the names given with --allow-host, at any port, and still no other', async () => {
    expect((await rawGet(local(widened, '/api/health'), { Host: 'streamvis.test:8080' })).status).toBe(200);
    expect((await rawGet(local(widened, '/'), { Host: 'STREAMVIS.test' })).status).toBe(200);
    expect((await rawGet(local(widened, '/api/health'), { Host: 'other.test' })).status).toBe(403);
  });

  it('bound to every interface, answers the bound host and the machine\'s own name', async () => {
    const auth = { Authorization: `Bearer ${exposed.token}` };
    for (const host of [`0.0.0.0:${exposed.port}`, hostname()]) {
      expect({ host, status: (await rawGet(local(exposed, '/api/health'), { Host: host, ...auth })).status }).toEqual({ host, status: 200 });
    }
    expect((await rawGet(local(exposed, '/api/health'), { Host: 'evil.example', ...auth })).status).toBe(403);
  });
});

describe('cross-origin reads', () => {
  it('no data route answers Access-Control-Allow-Origin to another site by default', async () => {
    for (const path of ROUTES) {
      const { status, headers } = await headOf(local(plain, path), { headers: { Origin: 'http://elsewhere.test' } });
      expect({ path, status, allow: headers.get('access-control-allow-origin') }).toEqual({ path, status: 200, allow: null });
    }
    const preflight = await headOf(local(plain, '/api/runs/run/plots/loss'), { method: 'OPTIONS', headers: { Origin: 'http://elsewhere.test', 'Access-Control-Request-Method': 'GET' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('--allow-origin lets exactly the origins named read the API, including its event streams', async () => {
    for (const path of ['/api/health', '/api/runs/run/plots/loss', '/api/runs/run/plots/loss/frame', '/api/runs/run/changes']) {
      const allowed = await headOf(local(widened, path), { headers: { Origin: 'http://dashboard.test' } });
      expect({ path, allow: allowed.headers.get('access-control-allow-origin'), vary: allowed.headers.get('vary') }).toEqual({ path, allow: 'http://dashboard.test', vary: expect.stringMatching(/Origin/) });
      const other = await headOf(local(widened, path), { headers: { Origin: 'http://elsewhere.test' } });
      expect({ path, allow: other.headers.get('access-control-allow-origin') }).toEqual({ path, allow: null });
    }
    const preflight = await headOf(local(widened, '/api/health'), {
      method: 'OPTIONS',
      headers: { Origin: 'http://dashboard.test', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://dashboard.test');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toMatch(/authorization/);
  });

  it('--allow-origin * (written out) lets any origin read', async () => {
    const open = await serve({ allowOrigins: ['*'] });
    const { headers } = await headOf(local(open, '/api/runs/run'), { headers: { Origin: 'http://anywhere.test' } });
    expect(headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('a server bound beyond loopback asks for its token', () => {
  const bearer = () => ({ Authorization: `Bearer ${exposed.token}` });

  it('generates a token and puts it in the URL it gives', () => {
    expect(exposed.exposed).toBe(true);
    expect(exposed.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(exposed.url).toBe(`http://0.0.0.0:${exposed.port}/?token=${exposed.token}`);
    expect(plain.exposed).toBe(false);
    expect(plain.token).toBeUndefined();
  });

  it('without the token: 401, JSON for the API, streams and frames, a short HTML page for the page', async () => {
    for (const path of ROUTES) {
      const { status, headers, body } = await headOf(local(exposed, path));
      const page = path === '/' || path.startsWith('/runs/');
      expect({ path, status, type: headers.get('content-type') }).toEqual({ path, status: 401, type: expect.stringMatching(page ? /^text\/html/ : /^application\/json/) });
      expect(headers.get('www-authenticate')).toMatch(/^Bearer/);
      if (page) expect(body).toMatch(/needs its token/);
      else expect(JSON.parse(body).error).toMatch(/Authorization: Bearer/);
      // No page, no data: nothing of the run shows in the refusal.
      expect(body).not.toMatch(/loss|points/);
    }
  });

  it('a wrong token is refused the same way', async () => {
    expect((await headOf(local(exposed, '/api/health'), { headers: { Authorization: 'Bearer not-the-token' } })).status).toBe(401);
    expect((await headOf(local(exposed, '/?token=not-the-token'))).status).toBe(401);
    expect((await headOf(local(exposed, '/api/health'), { headers: { Cookie: `streamvis-token-000000000000=${exposed.token}` } })).status).toBe(401);
  });

  it('with Authorization: Bearer, scripts get the page, the API, the event streams and frames', async () => {
    for (const path of ROUTES) {
      const { status } = await headOf(local(exposed, path), { headers: bearer() });
      expect({ path, status }).toEqual({ path, status: 200 });
    }
    const events = await openEvents(exposed, '/api/runs/run/events', bearer());
    expect((await events.nextJson<RunSnapshot>('snapshot')).plots.map((p) => p.name)).toEqual(['loss', 'points']);
  });

  it('the page URL with ?token= sets an HttpOnly, SameSite=Strict cookie and leads to the URL without it; the cookie then opens everything', async () => {
    const first = await headOf(local(exposed, `/runs/run?token=${exposed.token}&theme=dark`));
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/runs/run?theme=dark');
    const [setCookie] = first.headers.getSetCookie();
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    const cookie = { Cookie: setCookie.split(';')[0] };

    for (const path of ROUTES) {
      const { status } = await headOf(local(exposed, path), { headers: cookie });
      expect({ path, status }).toEqual({ path, status: 200 });
    }
    const page = await headOf(local(exposed, '/runs/run?theme=dark'), { headers: cookie });
    expect(page.body).toContain('data-run="run"');
    const changes = await openEvents(exposed, '/api/runs/run/changes', cookie);
    expect((await changes.next()).event).toBeTruthy();
  });

  it('?token= also opens an API route or an event stream (for clients that cannot set headers)', async () => {
    expect((await headOf(local(exposed, `/api/health?token=${exposed.token}`))).status).toBe(200);
    const events = await openEvents(exposed, `/api/runs/run/events?token=${exposed.token}`, {});
    expect((await events.nextJson<RunSnapshot>('snapshot')).run).toBe('run');
  });

  it('a token given is asked for, even on loopback; token: false asks none even beyond loopback', async () => {
    const given = await serve({ token: 'our-own.token~1' });
    expect(given.url).toBe(`http://127.0.0.1:${given.port}/?token=our-own.token~1`);
    expect((await headOf(local(given, '/api/health'))).status).toBe(401);
    expect((await headOf(local(given, '/api/health'), { headers: { Authorization: 'Bearer our-own.token~1' } })).status).toBe(200);

    const open = await serve({ host: '0.0.0.0', token: false });
    expect(open.exposed).toBe(true);
    expect(open.token).toBeUndefined();
    expect((await headOf(local(open, '/api/health'))).status).toBe(200);
  });

  it('a loopback server asks no token, and serves requests that carry one', async () => {
    expect((await headOf(local(plain, '/api/health'), { headers: { Authorization: 'Bearer whatever' } })).status).toBe(200);
    expect((await headOf(local(plain, '/?token=whatever'))).status).toBe(200);
  });

  it('refuses options it cannot honour, naming them', async () => {
    await expect(serve({ allowOrigins: ['http://dashboard.test/path'] })).rejects.toThrow(/^allowOrigins: expected an origin/);
    await expect(serve({ allowHosts: ['streamvis.test:8080'] })).rejects.toThrow(/^allowHosts: expected a host name .* without a port/);
    await expect(serve({ token: 'has space' })).rejects.toThrow(/^token: use only letters/);
  });
});

describe('security headers', () => {
  it('every answer says nosniff and forbids framing; the page loads only the server\'s own scripts', async () => {
    const answers = [
      ...(await Promise.all(ROUTES.map((path) => headOf(local(plain, path))))),
      await headOf(local(plain, '/api/nothing')),
      await headOf(local(exposed, '/api/health')),
    ];
    for (const { status, headers } of answers) {
      expect({ status, nosniff: headers.get('x-content-type-options'), frames: headers.get('x-frame-options') }).toEqual({ status, nosniff: 'nosniff', frames: 'DENY' });
    }
    const csp = (await headOf(local(plain, '/'))).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    // Scripts only from the server: none inline, no eval.
    expect(csp.split(';').map((directive) => directive.trim())).toContain("script-src 'self'");
  });
});
