#!/usr/bin/env node
// Launcher for the compiled CLI (built by `npm install` via the `prepare` script, or `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/adapters/console/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('twir: not built yet. Run `npm install` (it builds) or `npm run build`.\n');
  process.exit(1);
}
await import(entry.href);
