/**
 * `npm run manifest:slack`: writes slack/manifest.yml from the command
 * catalogue (run after adding or renaming a command, and commit the result).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandList } from '../../../commands/index.js';
import { buildSlackManifest } from './manifest.js';

// dist/src/adapters/slack/ → the repository root.
const target = fileURLToPath(new URL('../../../../slack/manifest.yml', import.meta.url));
writeFileSync(target, buildSlackManifest(commandList));
process.stdout.write(`wrote ${target}\n`);
