#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled dist/ (built by `npm install` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('engram: dist/ is missing; run `npm run build` in the engram package first\n');
  process.exit(1);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv);
