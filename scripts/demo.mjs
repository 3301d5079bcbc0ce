// npm start: the demo. Runs the server and the test app on one local log and prints the page URL.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const run = process.env.RUN ?? 'demo';
const port = process.env.PORT ?? '5006';
const log = process.env.LOG ?? `runs/${run}.svlog`;
mkdirSync('runs', { recursive: true });

const children = [
  spawn(process.execPath, ['packages/server/dist/cli.js', 'file', port, run, log], { stdio: 'inherit' }),
  spawn(process.execPath, ['examples/test-app/dist/cli.js', 'file', run, log], { stdio: 'inherit' }),
];
const stop = () => children.forEach((child) => child.kill('SIGINT'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) {
  child.on('exit', (code) => {
    if (code) {
      console.error(`demo: ${child.spawnargs.slice(1, 3).join(' ')} exited with ${code}`);
      stop();
      process.exitCode = code;
    }
  });
}
