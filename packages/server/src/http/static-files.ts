import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** BokehJS's prebuilt bundles, served to the page from node_modules (no CDN: works offline). */
const bokehDir = join(dirname(createRequire(import.meta.url).resolve('@bokeh/bokehjs/package.json')), 'build', 'js');
/** The page's script, built by scripts/build-client.mjs into dist/ (src/ and dist/ sit side by side). */
const clientScript = fileURLToPath(new URL('../../dist/view/client.js', import.meta.url));

/** Only these names are served from the BokehJS directory, so no request can reach another file. */
const bokehFiles: ReadonlySet<string> = new Set(readdirSync(bokehDir).filter((name) => /^[\w.-]+\.js(\.map)?$/.test(name)));

export interface StaticFile {
  body: Buffer;
  type: string;
}

const cache = new Map<string, Promise<StaticFile>>();

function load(path: string): Promise<StaticFile> {
  let file = cache.get(path);
  if (!file) {
    const type = path.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8';
    file = readFile(path).then((body) => ({ body, type }));
    // A failed read (e.g. the client not built yet) is retried on the next request.
    file.catch(() => cache.delete(path));
    cache.set(path, file);
  }
  return file;
}

/** A BokehJS bundle by file name, or undefined for a name that is not one. */
export function bokehFile(name: string): Promise<StaticFile> | undefined {
  return bokehFiles.has(name) ? load(join(bokehDir, name)) : undefined;
}

export async function clientFile(): Promise<StaticFile | undefined> {
  try {
    return await load(clientScript);
  } catch {
    return undefined;
  }
}
