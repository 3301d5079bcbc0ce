// The built server CLI as users run it, in a child process: for benches that measure it from outside.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));

/** `streamvis-server ARGS...`; resolves with the child and the URL it prints. Its stdout is read to the end: a server whose stdout is closed dies at its next line. */
export async function startServerProcess(args) {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.setEncoding('utf8');
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (text) => {
      out += text;
      const match = / at (http:\S+)\n/.exec(out);
      if (match) resolve(match[1]);
    });
    child.on('exit', () => reject(new Error(`server exited: ${out}`)));
  });
  return { child, url };
}
