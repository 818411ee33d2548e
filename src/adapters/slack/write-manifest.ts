/**
 * `npm run manifest:slack`: writes slack/manifest.yml from the command
 * catalogue (run after adding or renaming a command, and commit the result),
 * and slack/manifest.oauth.yml, the OAuth variant for a placeholder host.
 * `npm run manifest:slack -- --http https://twir.example.org` prints the
 * HTTP-mode variant (request URLs on that host, Socket Mode off) to stdout
 * instead, and `-- --oauth https://twir.example.org` (your PUBLIC_URL) the
 * OAuth variant for many workspaces, for pasting into the app's manifest.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { commandList } from '../../../commands/index.js';
import { buildSlackManifest, OAUTH_MANIFEST_PLACEHOLDER } from './manifest.js';

try {
  const { values } = parseArgs({ options: { http: { type: 'string' }, oauth: { type: 'string' } }, allowPositionals: false, strict: true });
  if (values.http !== undefined && values.oauth !== undefined) throw new Error('--http and --oauth: pick one');
  if (values.http !== undefined) {
    process.stdout.write(buildSlackManifest(commandList, { httpBase: values.http }));
  } else if (values.oauth !== undefined) {
    process.stdout.write(buildSlackManifest(commandList, { oauthBase: values.oauth }));
  } else {
    // dist/src/adapters/slack/ → the repository root.
    for (const [file, options] of [
      ['manifest.yml', {}],
      ['manifest.oauth.yml', { oauthBase: OAUTH_MANIFEST_PLACEHOLDER }],
    ] as const) {
      const target = fileURLToPath(new URL(`../../../../slack/${file}`, import.meta.url));
      writeFileSync(target, buildSlackManifest(commandList, options));
      process.stdout.write(`wrote ${target}\n`);
    }
  }
} catch (err) {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
}
