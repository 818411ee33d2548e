/**
 * The interaction handler called directly with recorded-shape payloads, over
 * a small store synced from fixture issues whose text is hostile (mentions,
 * markdown) and over the store-backed page state.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandList } from '../../../commands/index.js';
import { handleInteraction, type InteractionDeps } from '../../../src/adapters/discord/handle-interaction.js';
import { encodePage, storePageStates } from '../../../src/adapters/discord/page-state.js';
import { Archive } from '../../../src/core/archive/archive.js';
import { type IssueStore, openStore } from '../../../src/core/store/store.js';
import { createLocalSource } from '../../../src/core/sync/local-source.js';
import { createParser } from '../../../src/core/sync/parse-pool.js';
import { syncIssues } from '../../../src/core/sync/sync.js';
import { messageErrors } from '../../support/fake-discord.js';
import { captureLog, click, slash, testDeps, typing } from './support.js';

// Escaped in the markdown, so the title really contains `*`, `_`, a backtick, `|` and `[`.
const TITLE_LINE = '* [\\*Fast\\* \\_and\\_ \\`safe\\` | \\[really\\] @everyone](https://blog.rust-test.dev/a)';

const HOSTILE = `Title: This Week in Rust 600
Number: 600
Date: 2025-05-21
Category: This Week in Rust

Hello and welcome to another issue of *This Week in Rust*!

## Updates from Rust Community

### Observations/Thoughts
${TITLE_LINE}
* [Ping <@123> and <@&456> about tokio](https://blog.rust-test.dev/b)

## Crate of the Week

This week's crate is [pingme](https://crates.io/crates/pingme), a crate that says @everyone, @here, <@123> and <@&456>.

Thanks to [Someone](https://users.rust-lang.org/t/crate-of-the-week/2704/1) for the suggestion!
`;

let dir: string;
let store: IssueStore;
let deps: InteractionDeps & { lines: string[] };
let clock = new Date('2025-05-22T10:00:00Z');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twir-discord-handler-'));
  mkdirSync(join(dir, 'content'));
  writeFileSync(join(dir, 'content', '2025-05-21-this-week-in-rust.md'), HOSTILE);
  store = openStore({ path: join(dir, 'twir.db') });
  const parser = createParser(0);
  try {
    await syncIssues({ source: createLocalSource(join(dir, 'content')), store, parser, now: () => new Date('2025-05-22T00:00:00Z') });
  } finally {
    await parser.close();
  }
  const { log, lines } = captureLog();
  deps = { catalogue: commandList, archive: new Archive(store.db), pages: storePageStates(store), now: () => clock, log, lines };
});

afterAll(async () => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('handleInteraction over hostile newsletter text', () => {
  it('never lets @everyone, <@123> or <@&456> from an issue reach Discord as a mention', async () => {
    const { response } = await handleInteraction(slash('crate'), deps);
    const sent = JSON.stringify(response);
    expect(sent).toContain('pingme');
    expect(sent).not.toMatch(/@everyone|@here|<@123>|<@&456>/);
    expect((response as { data: { allowed_mentions: unknown } }).data.allowed_mentions).toEqual({ parse: [] });
  });

  it('renders markdown characters of a newsletter title literally', async () => {
    const { response } = await handleInteraction(slash('search', { query: 'fast safe' }), deps);
    const value = JSON.stringify((response as { data: unknown }).data);
    expect(value).toContain('\\\\*Fast\\\\* \\\\_and\\\\_ \\\\`safe\\\\` \\\\| \\\\[really\\\\]');
  });
});

describe('page state in the store', () => {
  it('stores states that do not fit in custom_id, serves them from a fresh store handle, and expires them', async () => {
    const pages = storePageStates(store);
    const state = { command: 'search', args: { query: 'tokio '.repeat(25).trim() }, asOf: '2025-05-21' };
    const customId = await encodePage(state, 2, pages, clock);
    expect(customId).toMatch(/^twir:p1:2:s[\w-]{22}$/);
    const other = openStore({ path: join(dir, 'twir.db') });
    try {
      const fresh = { ...deps, pages: storePageStates(other), archive: new Archive(other.db) };
      const served = (await handleInteraction(click(customId), fresh)).response as { type: number; data: { flags?: number } };
      expect(served.type).toBe(7);
      clock = new Date('2025-07-01T10:00:00Z');
      const expired = (await handleInteraction(click(customId), fresh)).response as { data: { content: string; flags: number } };
      expect(expired.data.flags).toBe(64);
      expect(expired.data.content).toMatch(/expired/);
    } finally {
      clock = new Date('2025-05-22T10:00:00Z');
      other.close();
    }
  });
});

describe('odd input', () => {
  const all = testDeps();

  it('answers autocomplete for every source, with odd typed values, within 25 choices and never throwing', async () => {
    const cases: [string, string][] = [
      ['crate', 'query'],
      ['events', 'place'],
      ['fcp', 'filter'],
      ['search', 'section'],
      ['help', 'command'],
      ['issue', 'which'],
    ];
    for (const [sub, option] of cases) {
      for (const typed of ['', 'ber', '🦀'.repeat(200), '"; DROP TABLE', 'x'.repeat(5000), '   ']) {
        const { response } = await handleInteraction(typing(sub, option, typed), all);
        expect(response.type).toBe(8);
        const choices = (response as { data: { choices: { name: string; value: string }[] } }).data.choices;
        expect(choices.length).toBeLessThanOrEqual(25);
        for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);
      }
    }
    expect(((await handleInteraction(typing('nope', 'x', 'y'), all)).response as { data: { choices: unknown[] } }).data.choices).toEqual(
      [],
    );
  });

  it('keeps "near" (and the radius) in place suggestions for events near <city> [km]', async () => {
    const choicesFor = async (typed: string) =>
      (
        (await handleInteraction(typing('events', 'place', typed), all)).response as {
          data: { choices: { name: string; value: string }[] };
        }
      ).data.choices;
    const near = await choicesFor('near Bas');
    expect(near.map((c) => c.value)).toContain('near Basel');
    for (const c of near) expect(c.value).toMatch(/^near \S/);
    expect((await choicesFor('near Basel 80')).map((c) => c.value)).toContain('near Basel 80');
    expect((await choicesFor('NEAR   zur')).map((c) => c.value)).toContain('near Zürich');
    // A place without "near" is suggested as before.
    expect((await choicesFor('Bas')).map((c) => c.value)).toContain('Basel');
  });

  it('answers places as a person names them, and suggests gazetteer cities when no event is upcoming (issue 15)', async () => {
    const json = async (payload: unknown) => JSON.stringify((await handleInteraction(payload as ReturnType<typeof slash>, all)).response);
    const california = await json(slash('events', { place: 'california', 'as-of': '2024-10-02' }));
    expect(california).toMatch(/CA, US/);
    expect(california).not.toMatch(/Maryland/);
    expect(await json(slash('events', { place: 'austin, tx', 'as-of': '2024-10-02' }))).toMatch(/Austin/);
    // A usage error is private (ephemeral flag 64), as for search with no words.
    expect(await json(slash('events', { place: 'near', 'as-of': '2024-10-02' }))).toMatch(/Near which place\?.*"flags":64/);
    expect(await json(slash('quote', { person: 'sean baxtr' }))).toMatch(/Sean Baxter/);
    const stale = async (typed: string) =>
      (
        (await handleInteraction(typing('events', 'place', typed, { 'as-of': '2099-01-01' }), all)).response as {
          data: { choices: { value: string }[] };
        }
      ).data.choices.map((c) => c.value);
    expect(await stale('near Karls')).toContain('near Karlsruhe');
    expect(await stale('Karls')).toContain('Karlsruhe');
  });

  it('gives usage examples as a Discord user types them (option:value), not in console syntax', async () => {
    const text = async (payload: ReturnType<typeof slash>) => JSON.stringify((await handleInteraction(payload, all)).response);
    expect(await text(slash('search'))).toContain('Example: /twir search query:async closures');
    expect(await text(slash('events', { 'as-of': 'soon' }))).toContain('Example: /twir events place:berlin');
    expect(await text(slash('crate', { 'as-of': 'soon' }))).not.toMatch(/Example: \/twir crate [^\s:]+(\s|")/);
  });

  it('answers malformed commands privately with a usage message', async () => {
    for (const payload of [
      slash('nope'),
      slash('issue'),
      slash('crate', { 'as-of': 'yesterday' }),
      slash('search', { query: 'x', year: 'abc' }),
      slash('crate', { bogus: 'x' }),
      { type: 2, data: { name: 'twir' } },
      { type: 2 },
    ]) {
      const { response } = await handleInteraction(payload as Parameters<typeof handleInteraction>[0], all);
      expect(response.type).toBe(4);
      const data = (response as { data: { flags: number } }).data;
      expect(data.flags).toBe(64);
      expect(messageErrors(data, 'data')).toEqual([]);
    }
  });

  it('says which button is not ours, and handles unknown interaction types', async () => {
    const foreign = (await handleInteraction(click('someone-elses-button'), all)).response as { data: { content: string } };
    expect(foreign.data.content).toMatch(/does not belong/);
    expect(((await handleInteraction({ type: 99 }, all)).response as { data: { flags: number } }).data.flags).toBe(64);
  });

  it('never runs subscribe, unsubscribe or digest test from a forged page button, even for a channel manager', async () => {
    for (const [command, args] of [
      ['subscribe', {}],
      ['unsubscribe', {}],
      ['digest', { action: 'test' }],
    ] as const) {
      const forged = click(`twir:p1:1:i${JSON.stringify([command, '2025-05-21', args])}`);
      forged.member.permissions = '8';
      const response = (await handleInteraction(forged, all)).response as { type: number; data: { content: string; flags: number } };
      expect(response.type).toBe(4);
      expect(response.data.flags).toBe(64);
      expect(response.data.content).toMatch(/does not belong/);
    }
  });
});
