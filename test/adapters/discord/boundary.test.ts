/** Imports flow one way: the core and the commands never load Discord's packages. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

describe('the Discord boundary', () => {
  it('keeps discord.js, @discordjs/* and discord-api-types out of src/core and commands', () => {
    const offenders = [...sources('src/core'), ...sources('commands')].filter((f) =>
      /from\s+['"](discord\.js|@discordjs\/[^'"]+|discord-api-types[^'"]*)['"]|import\(\s*['"](discord\.js|@discordjs)/.test(
        readFileSync(join(ROOT, f), 'utf8'),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('reads no environment variable in the Discord adapter (config.ts is the only reader)', () => {
    const offenders = sources('src/adapters/discord').filter((f) => readFileSync(join(ROOT, f), 'utf8').includes('process.env'));
    expect(offenders).toEqual([]);
  });
});
