// The built server CLI as users run it (its bin, which execs node with its memory settings), in a child process: for benches that measure it from outside.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../packages/server/bin/streamvis-server.js', import.meta.url));

/** `streamvis-server ARGS...`; resolves with the child and the URL it prints. Its stdout is read to the end: a server whose stdout is closed dies at its next line. */
export async function startServerProcess(args) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
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
