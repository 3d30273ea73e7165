#!/usr/bin/env node
// The `techapi-sandbox` command: loads the build. This file is committed (dist/ is not), so that `npm ci`
// on a fresh clone links the bin before the first build; run `npm run build` once, then `npx techapi-sandbox`.
import('../dist/cli.js').catch((error) => {
  const missing = error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js');
  process.stderr.write(missing ? 'techapi-sandbox: not built yet: run `npm run build` in the repository first.\n' : `techapi-sandbox: ${error?.stack ?? error}\n`);
  process.exitCode = missing ? 2 : 1;
});
