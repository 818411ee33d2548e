/**
 * Page buttons pin the archive a first page was made from (its newest issue
 * number), not only its as-of date: an issue published the same day must
 * not shift page 2 and repeat items from page 1, on Discord or Slack.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandList } from '../../commands/index.js';
import { handleInteraction, type InteractionDeps } from '../../src/adapters/discord/handle-interaction.js';
import { decodePage, encodePage, storePageStates } from '../../src/adapters/discord/page-state.js';
import { decodePageState, encodePageState } from '../../src/adapters/slack/page-state.js';
import { Archive } from '../../src/core/archive/archive.js';
import { executeLine } from '../../src/core/commands/execute.js';
import { type IssueStore, openStore } from '../../src/core/store/store.js';
import { createLocalSource } from '../../src/core/sync/local-source.js';
import { createParser } from '../../src/core/sync/parse-pool.js';
import { syncIssues } from '../../src/core/sync/sync.js';
import { captureLog, click, slash } from './discord/support.js';

const DATE = '2025-05-21';

function issueFile(number: number, count: number): string {
  const items = Array.from({ length: count }, (_, i) => `* [Tokio note ${number}-${i}](https://blog.rust-test.dev/${number}/${i})`);
  return `Title: This Week in Rust ${number}\nNumber: ${number}\nDate: ${DATE}\nCategory: This Week in Rust\n\nHello and welcome to another issue of *This Week in Rust*!\n\n## Updates from Rust Community\n\n### Observations/Thoughts\n${items.join('\n')}\n`;
}

let dir: string;
let store: IssueStore;
let deps: InteractionDeps;
const clock = new Date('2025-05-21T20:00:00Z');

async function sync(): Promise<void> {
  const parser = createParser(0);
  try {
    await syncIssues({ source: createLocalSource(join(dir, 'content')), store, parser, now: () => clock });
  } finally {
    await parser.close();
  }
}

function urlsOf(value: unknown): string[] {
  return [...JSON.stringify(value).matchAll(/https:\/\/blog\.rust-test\.dev\/\d+\/\d+/g)].map((m) => m[0]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twir-paging-pin-'));
  mkdirSync(join(dir, 'content'));
  writeFileSync(join(dir, 'content', `${DATE}-this-week-in-rust.md`), issueFile(600, 15));
  store = openStore({ path: join(dir, 'twir.db') });
  await sync();
  deps = { catalogue: commandList, archive: new Archive(store.db), pages: storePageStates(store), now: () => clock, log: captureLog().log };
});

afterAll(async () => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paging pinned to the newest issue number', () => {
  it('gives every paged reply the newest issue number it was made from', async () => {
    const r = await executeLine('search tokio', commandList, { archive: deps.archive, today: () => DATE });
    expect(r.reply.page).toMatchObject({ page: 1, pages: 2, pin: 600 });
  });

  it('keeps Discord page 2 as it was when an issue dated the same day arrives', async () => {
    const first = (await handleInteraction(slash('search', { query: 'tokio' }), deps)).response as { data: unknown };
    const page1 = urlsOf(first);
    const next = /"custom_id":"(twir:p1:2:[^"]+)"/.exec(JSON.stringify(first))?.[1] as string;
    expect(next).toBeDefined();
    const before = urlsOf((await handleInteraction(click(next), deps)).response);

    writeFileSync(join(dir, 'content', `${DATE}-this-week-in-rust-601.md`), issueFile(601, 12));
    await sync();
    const after = urlsOf((await handleInteraction(click(next), deps)).response);
    expect(after).toEqual(before);
    expect(after.filter((u) => page1.includes(u))).toEqual([]);
    // A fresh question sees the new issue.
    const fresh = await executeLine('search tokio', commandList, { archive: deps.archive, today: () => DATE });
    expect(fresh.reply.page).toMatchObject({ pages: 3, pin: 601 });
  });

  it('carries the pin through Discord and Slack button values, and still reads buttons made without one', async () => {
    const pages = storePageStates(store);
    const state = { command: 'search', args: { query: 'tokio' }, asOf: DATE, pin: 600 };
    expect(await decodePage(await encodePage(state, 2, pages, clock), pages, clock)).toEqual({ ok: true, state, page: 2 });
    expect(await decodePage(`twir:p1:2:i${JSON.stringify(['search', DATE, { query: 'tokio' }])}`, pages, clock)).toEqual({
      ok: true,
      state: { command: 'search', args: { query: 'tokio' }, asOf: DATE },
      page: 2,
    });
    expect(decodePageState(encodePageState({ text: 'search tokio', asOf: DATE, page: 2, pin: 600 }))).toEqual({
      text: 'search tokio',
      asOf: DATE,
      page: 2,
      pin: 600,
    });
    expect(decodePageState(JSON.stringify({ t: 'search tokio', a: DATE, p: 2 }))).toEqual({ text: 'search tokio', asOf: DATE, page: 2 });
  });
});
