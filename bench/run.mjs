// npm run bench: runs every bench/*.bench.mjs (or those named on the command line) in
// one process, prints each table, and rewrites the generated part of docs/performance.md.
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const here = fileURLToPath(new URL('.', import.meta.url));
const docPath = fileURLToPath(new URL('../docs/performance.md', import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.mjs') && (only.length === 0 || only.some((o) => f.includes(o)))).sort();

/**
 * A bench module's default export: async () => ({ title, columns: string[], rows: string[][], notes?: string[] }).
 * Throughput is always reported beside a baseline measured in the same run, as a ratio.
 */
const sections = [];
for (const file of files) {
  const started = Date.now();
  const { default: bench } = await import(new URL(file, import.meta.url).href);
  const result = await bench();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const table = [
    `### ${result.title}`,
    '',
    `| ${result.columns.join(' | ')} |`,
    `|${result.columns.map(() => '---').join('|')}|`,
    ...result.rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    ...(result.notes ?? []).map((n) => `- ${n}`),
    `- (${file}, ${seconds} s, measured ${new Date().toISOString().slice(0, 10)})`,
    '',
  ].join('\n');
  console.log(table);
  sections.push({ file, table });
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const generated = `<!-- bench:start -->\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine}.\n\n${sections.map((s) => s.table).join('\n')}<!-- bench:end -->`;
await mkdir(fileURLToPath(new URL('./output/', import.meta.url)), { recursive: true });
await writeFile(fileURLToPath(new URL('./output/latest.md', import.meta.url)), generated + '\n');
let doc = '';
try { doc = await readFile(docPath, 'utf8'); } catch { doc = '# Performance\n\n<!-- bench:start --><!-- bench:end -->\n'; }
const generatedBlock = /<!-- bench:start -->([\s\S]*)<!-- bench:end -->/;
if (only.length === 0) {
  await writeFile(docPath, doc.replace(generatedBlock, generated));
} else {
  // Some benches only: their sections are replaced (or added); the others stay as measured before, each with its date.
  const [head, ...kept] = (doc.match(generatedBlock)?.[1] ?? '').split(/\n(?=### )/);
  const fileOf = (table) => table.match(/- \((\S+\.bench\.mjs), /)?.[1];
  const merged = kept.map((table) => sections.find((s) => s.file === fileOf(table))?.table ?? `${table.trimEnd()}\n`);
  for (const section of sections) if (!kept.some((table) => fileOf(table) === section.file)) merged.push(section.table);
  await writeFile(docPath, doc.replace(generatedBlock, `<!-- bench:start -->${head.trimEnd()}\n\n${merged.join('\n')}<!-- bench:end -->`));
}
console.log(`wrote ${docPath}`);
