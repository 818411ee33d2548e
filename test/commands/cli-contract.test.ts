import { describe, expect, it } from 'vitest';
import { commandList } from '../../commands/index.js';
import { parseCommandWords } from '../../src/core/commands/parse-command-line.js';
import { ask } from '../support/archive-store.js';

describe('the command line keeps its documented contract', () => {
  it('accepts the /twir prefix in one-shot words, as help writes its examples', () => {
    const parsed = parseCommandWords(['/twir', 'crate', 'bacon'], commandList);
    expect(parsed.ok && parsed.command.name).toBe('crate');
    expect(parsed.ok && parsed.args.query).toBe('bacon');
    const bare = parseCommandWords(['twir', 'latest'], commandList);
    expect(bare.ok && bare.command.name).toBe('latest');
  });

  it('takes global flags before the command', () => {
    const parsed = parseCommandWords(['--json', '--as-of', '2024-10-30', 'latest'], commandList);
    expect(parsed.ok).toBe(true);
    expect(parsed.global).toEqual({ json: true, asOf: '2024-10-30' });
    const page = parseCommandWords(['--page=2', 'search', 'tokio'], commandList);
    expect(page.ok && page.args.query).toBe('tokio');
    expect(page.global.page).toBe(2);
  });

  it('keeps --json on a line it cannot understand, so the usage error is printed as JSON', () => {
    const parsed = parseCommandWords(['frobnicate', '--json'], commandList);
    expect(parsed.ok).toBe(false);
    expect(parsed.global.json).toBe(true);
  });

  it('never shows internal option names in messages', () => {
    const r = ask('issue');
    expect(r.kind).toBe('usage-error');
    expect(r.title).not.toMatch(/\bwhich\b/);
    expect(r.title).toMatch(/issue number/i);
    expect(r.hint).toBe('Usage: issue <number | YYYY-MM-DD | latest>. Example: issue 571');
    expect(ask('fcp --bogus x').hint).toMatch(/^Usage: fcp \[team or words\]\./);
    expect(ask('search').title).not.toMatch(/\bquery\b/);
    expect(ask(`fcp ${'x'.repeat(300)}`).title).not.toMatch(/\bfilter\b/);
  });

  it('leaves page.next out on the last page instead of null', () => {
    const r = ask('search tokio --page 999');
    expect(r.page).toBeDefined();
    expect(r.page && 'next' in r.page).toBe(false);
  });
});

describe('the staleness warning belongs to answers about now', () => {
  const today = '2026-11-21'; // the newest stored issue is 2026-08-19
  it('warns for latest, and for an as-of that is today', () => {
    expect(ask('latest', today).warning).toMatch(/syncing may be failing/);
    expect(ask(`fcp --as-of ${today}`, today).warning).toMatch(/syncing may be failing/);
  });

  it('does not warn about a past issue, a past year or an explicit past as-of', () => {
    expect(ask('issue 500', today).warning).toBeUndefined();
    expect(ask('issue 2018-05-01', today).warning).toBeUndefined();
    expect(ask('search tokio --year 2018', today).warning).toBeUndefined();
    expect(ask('search zzqqxxjj --year 2018', today).warning).toBeUndefined();
    expect(ask('latest --as-of 2026-10-01', today).warning).toBeUndefined();
    expect(ask('crate --as-of 2019-01-01', today).warning).toBeUndefined();
  });
});
