/** Imports flow one way: the core and the commands never load Slack's packages. */
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

describe('the Slack boundary', () => {
  it('keeps @slack/* out of src/core and commands', () => {
    const offenders = [...sources('src/core'), ...sources('commands')].filter((f) =>
      /from\s+['"]@slack\/|import\(\s*['"]@slack\//.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('reads no environment variable and writes no console output in the Slack adapter', () => {
    const offenders = sources('src/adapters/slack').filter((f) => /process\.env|console\./.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
