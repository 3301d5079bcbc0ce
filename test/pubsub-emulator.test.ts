import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { startPubsubEmulator } from './support/pubsub-emulator.js';

const saved = process.env.PUBSUB_EMULATOR_BIN;
afterEach(() => {
  if (saved === undefined) delete process.env.PUBSUB_EMULATOR_BIN;
  else process.env.PUBSUB_EMULATOR_BIN = saved;
});

/** Processes whose command line mentions `--port=PORT` (the launcher script and its JVM). */
function processesOnPort(port: number): string[] {
  const table = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return table.split('\n').filter((line) => line.includes(`--port=${port}`) && !line.includes('ps -eo'));
}

describe('the Pub/Sub emulator test support', () => {
  it('fails, saying how to install it, when the emulator is missing', async () => {
    process.env.PUBSUB_EMULATOR_BIN = '/nonexistent/cloud-pubsub-emulator';
    await expect(startPubsubEmulator()).rejects.toThrow(/not installed at \/nonexistent.*gcloud components install pubsub-emulator/s);
  });

  it('starts an emulator that answers on loopback, and stop() ends its whole process tree', async () => {
    const emulator = await startPubsubEmulator();
    expect(emulator.host).toBe(`127.0.0.1:${emulator.port}`);
    expect(await (await fetch(`http://${emulator.host}/`)).text()).toMatch(/Ok/);
    expect(processesOnPort(emulator.port).some((line) => line.includes('java'))).toBe(true);
    await emulator.stop();
    expect(processesOnPort(emulator.port)).toEqual([]);
    await expect(fetch(`http://${emulator.host}/`)).rejects.toThrow();
  });
});
