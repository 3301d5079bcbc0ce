#!/usr/bin/env node
// Committed (unlike dist/), so npm links the command at install time, before the build.
import('../dist/cli.js').catch((error) => {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
  process.stderr.write('streamvis-server: not built yet; run `npm run build` in the streamvis checkout\n');
  process.exit(1);
});
