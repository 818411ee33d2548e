import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXPORT_SCHEMA, exportIssues } from '../../../src/core/export/export-issues.js';
import { parseIssue } from '../../../src/core/issue/parse-issue.js';
import { openStore } from '../../../src/core/store/store.js';
import { miniIssueFile, miniIssueMarkdown } from '../../support/issue-markdown.js';

const mini = (number: number, date: string) =>
  parseIssue(miniIssueMarkdown({ number, date, crate: 'bacon' }), { file: miniIssueFile({ number, date }) });
const AT = new Date('2026-01-01T00:00:00Z');
const LICENSE = 'Content of This Week in Rust, CC-BY-SA 4.0: link back to each issue (its `url`).';

/** A writable that collects text, or fails the given write (1-based) with `error`. */
function sink(failAt?: { write: number; error: NodeJS.ErrnoException }) {
  const state = { text: '', writes: 0, ended: false };
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      state.writes++;
      if (failAt && state.writes === failAt.write) return callback(failAt.error);
      state.text += String(chunk);
      callback();
    },
    final(callback) {
      state.ended = true;
      callback();
    },
  });
  return { stream, state };
}

function storeWith(...issues: [number, string][]) {
  const store = openStore({ path: ':memory:' });
  for (const [i, [n, date]] of issues.entries()) store.replaceIssue(mini(n, date), `sha${i}`, 1);
  return store;
}

describe('exportIssues', () => {
  it('writes the documented document: pretty header, then one issue per line, oldest first', async () => {
    const store = storeWith([571, '2024-10-30'], [570, '2024-10-23']);
    const { stream, state } = sink();
    expect(await exportIssues(store, stream, AT)).toBe(2);
    const [older, newer] = [...store.allIssues()];
    expect(state.text).toBe(
      [
        '{',
        `  "schema": "${EXPORT_SCHEMA}",`,
        '  "generatedAt": "2026-01-01T00:00:00.000Z",',
        `  "license": ${JSON.stringify(LICENSE)},`,
        '  "count": 2,',
        '  "issues": [',
        `    ${JSON.stringify(older)},`,
        `    ${JSON.stringify(newer)}`,
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(state.text).issues.map((i: { number: number }) => i.number)).toEqual([570, 571]);
    expect(state.ended).toBe(true);
  });

  it('writes an empty issues array for an empty store', async () => {
    const { stream, state } = sink();
    expect(await exportIssues(openStore({ path: ':memory:' }), stream, AT)).toBe(0);
    expect(state.text.endsWith('  "count": 0,\n  "issues": []\n}\n')).toBe(true);
    expect(JSON.parse(state.text)).toMatchObject({ schema: EXPORT_SCHEMA, count: 0, issues: [] });
  });

  it('leaves the stream open when asked not to end it (stdout)', async () => {
    const { stream, state } = sink();
    await exportIssues(storeWith([570, '2024-10-23']), stream, AT, { end: false });
    expect(state.ended).toBe(false);
    expect(stream.writable).toBe(true);
  });

  it('rejects with the stream error mid-export and releases the store for the next query', async () => {
    const store = storeWith([569, '2024-10-16'], [570, '2024-10-23'], [571, '2024-10-30']);
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const { stream } = sink({ write: 2, error: epipe });
    await expect(exportIssues(store, stream, AT)).rejects.toMatchObject({ code: 'EPIPE' });
    // An abandoned cursor would make every write fail with "connection is busy".
    store.replaceIssue(mini(572, '2024-11-06'), 'sha-next', 1);
    expect(store.stats().issues).toBe(4);
  });
});
