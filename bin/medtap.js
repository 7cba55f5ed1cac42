#!/usr/bin/env node
// Entry point: the compiled CLI lives in dist/ (npm run build).
import('../dist/src/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  process.stderr.write(`medtap: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
