import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** The system's Chromium; `CHROMIUM_BIN` points elsewhere. Never one downloaded by a package. */
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

/** What headless Chromium needs here, running as root in a container (see FIELD-NOTES). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  context: BrowserContext;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/** Starts headless Chromium with a fresh, empty profile. Throws, saying how to install it, when it is missing. */
export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the page tests need headless Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` or set CHROMIUM_BIN`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'streamvis-chromium-'));
  // Playwright takes the profile directory itself and passes it as --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 1000 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
