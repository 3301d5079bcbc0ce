import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { createServer } from 'node:net';

/** The emulator shipped with the Google Cloud SDK; `PUBSUB_EMULATOR_BIN` points elsewhere. */
const DEFAULT_BIN = '/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator';
const START_TIMEOUT_MS = 60_000;

const INSTALL_HINT =
  'Install it with `gcloud components install pubsub-emulator` or the Debian/Ubuntu package ' +
  '`google-cloud-cli-pubsub-emulator` (it needs Java 17), or set PUBSUB_EMULATOR_BIN to its launcher.';

export interface PubsubEmulator {
  /** `127.0.0.1:PORT`: pass it as `PUBSUB_EMULATOR_HOST` or `apiEndpoint`. */
  host: string;
  port: number;
  /** Kills the launcher script and the JVM it started; resolves once they are gone. */
  stop(): Promise<void>;
}

// google-auth-library would otherwise probe the cloud metadata server on every client.
process.env.METADATA_SERVER_DETECTION = 'none';

/** Environment for a child process that talks to the emulator at `host`. */
export function emulatorEnv(host: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, PUBSUB_EMULATOR_HOST: host, METADATA_SERVER_DETECTION: 'none' };
}

/** A loopback port nobody listens on right now (the OS picks it; we release it at once). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address from the OS');
  return address.port;
}

/**
 * Starts the official Pub/Sub emulator on 127.0.0.1 (on `port`, or a free one) and waits
 * until it answers. Throws, with install instructions, when the emulator is not installed.
 */
export async function startPubsubEmulator(options: { port?: number } = {}): Promise<PubsubEmulator> {
  const bin = process.env.PUBSUB_EMULATOR_BIN || DEFAULT_BIN;
  try {
    await access(bin, constants.X_OK);
  } catch {
    throw new Error(`the Pub/Sub emulator is not installed at ${bin}. ${INSTALL_HINT}`);
  }
  const port = options.port ?? (await freeLoopbackPort());
  const host = `127.0.0.1:${port}`;
  // The launcher is a shell script that starts java: a process group of its own lets stop() end both.
  const child = spawn(bin, ['--host=127.0.0.1', `--port=${port}`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: emulatorEnv(host),
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  // If the test process dies without calling stop(), do not leave a JVM behind.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (!running) return;
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    killGroup('SIGKILL'); // the JVM, if the script went first
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answers(port))) {
    if (!running || Date.now() > deadline) {
      await stop();
      throw new Error(`the Pub/Sub emulator (${bin}) did not start on ${host}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { host, port, stop };
}

/** The emulator answers a plain HTTP GET on its port with "Ok" once it serves. */
async function answers(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}
