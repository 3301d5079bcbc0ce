// The demos: the server and a producer on one local log; prints the page URL.
//   npm start                 the four-plot test app
//   npm run demo:flowclust    online clustering of a simulated data flow, as bubbles
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const producers = {
  'test-app': (run, log) => ['examples/test-app/dist/cli.js', 'file', run, log],
  flowclust: (run, log) => ['examples/flowclust/dist/cli.js', 'file', run, log],
};
const demo = process.argv[2] ?? 'test-app';
if (!producers[demo]) {
  console.error(`demo: unknown demo '${demo}'; one of ${Object.keys(producers).join(', ')}`);
  process.exit(2);
}
const run = process.env.RUN ?? demo;
const port = process.env.PORT ?? '5006';
const log = process.env.LOG ?? `runs/${run}-${Date.now()}.svlog`;
mkdirSync('runs', { recursive: true });

const children = [
  spawn(process.execPath, ['packages/server/dist/cli.js', 'file', port, run, log], { stdio: 'inherit' }),
  spawn(process.execPath, producers[demo](run, log), { stdio: 'inherit' }),
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
