/**
 * `npm run manifest:slack`: writes slack/manifest.yml from the command
 * catalogue (run after adding or renaming a command, and commit the result).
 * `npm run manifest:slack -- --http https://twir.example.org` prints the
 * HTTP-mode variant (request URLs on that host, Socket Mode off) to stdout
 * instead, for pasting into the app's manifest.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { commandList } from '../../../commands/index.js';
import { buildSlackManifest } from './manifest.js';

try {
  const { values } = parseArgs({ options: { http: { type: 'string' } }, allowPositionals: false, strict: true });
  if (values.http !== undefined) {
    process.stdout.write(buildSlackManifest(commandList, { httpBase: values.http }));
  } else {
    // dist/src/adapters/slack/ → the repository root.
    const target = fileURLToPath(new URL('../../../../slack/manifest.yml', import.meta.url));
    writeFileSync(target, buildSlackManifest(commandList));
    process.stdout.write(`wrote ${target}\n`);
  }
} catch (err) {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
}
