#!/bin/sh
// 2>/dev/null; exec env MALLOC_MMAP_THRESHOLD_=65536 node --max-semi-space-size=1 "$0" "$@"
// Read by sh first (where the line above runs `//`, fails in silence, and execs node on this
// file) and then by node (where it is a comment): `env -S` in a #! line would do the same
// but busybox's env, Alpine's, has no -S. The settings (docs/performance.md, server memory):
// a server holds few objects and many large buffers that die young. A 1 MiB semi-space
// collects them at the next scavenge, before the young generation grows to 16 MiB of dead
// bytes; a fixed mmap threshold gives a freed buffer's pages back to the system at once
// instead of keeping them in glibc's heap. Committed (unlike dist/), so npm links the
// command at install time, before the build.
import('../dist/cli.js').catch((error) => {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
  process.stderr.write('streamvis-server: not built yet; run `npm run build` in the streamvis checkout\n');
  process.exit(1);
});
