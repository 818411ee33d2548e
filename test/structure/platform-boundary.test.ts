/**
 * Imports flow one way: the core, the commands and the digest logic never load
 * a chat platform's packages, and the adapters read no environment of their own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NEUTRAL = ['src/core', 'commands', 'src/digest', 'src/shared-state'];

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

function offenders(dirs: readonly string[], pattern: RegExp): string[] {
  return dirs.flatMap(sources).filter((f) => pattern.test(readFileSync(join(ROOT, f), 'utf8')));
}

const PLATFORMS = [
  {
    name: 'Discord',
    adapter: 'src/adapters/discord',
    packages: /from\s+['"](discord\.js|@discordjs\/[^'"]+|discord-api-types[^'"]*)['"]|import\(\s*['"](discord\.js|@discordjs)/,
  },
  { name: 'Slack', adapter: 'src/adapters/slack', packages: /from\s+['"]@slack\/|import\(\s*['"]@slack\// },
] as const;

describe.each(PLATFORMS)('the $name boundary', ({ adapter, packages }) => {
  it(`keeps the platform's packages out of ${NEUTRAL.join(', ')}`, () => {
    expect(offenders(NEUTRAL, packages)).toEqual([]);
  });

  it('reads no environment variable and writes no console output in the adapter (config.ts and the logger do)', () => {
    expect(offenders([adapter], /process\.env|console\./)).toEqual([]);
  });
});

describe('the PostgreSQL boundary', () => {
  it('loads node-postgres only in the PostgreSQL backend (src/shared-state/postgres), never elsewhere in the bot', () => {
    const all = ['src', 'commands'].flatMap(sources).filter((f) => !f.startsWith(join('src', 'shared-state', 'postgres')));
    expect(all.filter((f) => /from\s+['"]pg['"]|import\(\s*['"]pg['"]/.test(readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
    expect(offenders(['src/shared-state/postgres'], /from\s+['"]pg['"]/).length).toBeGreaterThan(0);
  });
});
