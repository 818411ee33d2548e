import { describe, expect, it } from 'vitest';
import { ask, labels } from '../support/archive-store.js';

const items = (line: string) => ask(line, '2026-08-20').sections.flatMap((s) => s.items);

describe('whole answers', () => {
  it('quote shows every part of an exchange with its own speaker and link (2025-10-15)', () => {
    const parts = items('quote --as-of 2025-10-15');
    expect(parts.map((p) => p.label)).toEqual(['Pointers are quite hard.', 'And, as the name implies, pointy.']);
    expect(parts[0]?.detail).toBe('— Tim McNamara');
    expect(parts[1]?.detail).toBe('— llogiq on LinkedIn (suggested by llogiq)');
    expect(parts[1]?.url).toMatch(/^https:\/\/www\.linkedin\.com\//);
    const latest = ask('latest --as-of 2025-10-15', '2025-10-15').sections.find((s) => s.label === 'Quote of the week');
    expect(latest?.items).toHaveLength(2);
  });

  it('perf shows the regression, improvement and mixed counts, and the report link of older weeks', () => {
    const perf = items('perf --as-of 2026-08-19')[0];
    expect(perf?.detail).toMatch(/^0 regressions, 6 improvements, 7 mixed · full report$/);
    expect(perf?.url).toMatch(/triage\/2026\/2026-08-18\.md$/);
    const old = items('perf --as-of 2021-03-10')[0];
    expect(old?.detail).toMatch(/^1 regression, 4 improvements, 1 mixed · compared on perf\.rust-lang\.org$/);
    expect(old?.url).toMatch(/^https:\/\/perf\.rust-lang\.org\//);
  });

  it('search and latest show [video]/[audio] tags', () => {
    expect(labels(ask('search implementing state machines', '2026-08-20'))).toContain(
      '[video] [series] Implementing State Machines (Part 1)',
    );
    // Some week's overview shows a tagged talk among its top community links (a link's own text never starts with a tag).
    const tagged: string[] = [];
    for (let n = 300; n <= 665 && tagged.length === 0; n++) {
      const community = ask(`issue ${n}`, '2026-08-20').sections.find((s) => s.label === 'From the community');
      tagged.push(...(community?.items ?? []).map((i) => i.label).filter((l) => /^\[(video|audio|podcast)\] /.test(l)));
    }
    expect(tagged.length).toBeGreaterThan(0);
  });

  it('search finds the second link of a multi-link bullet', () => {
    const r = ask('search default_trait_access clone_on_copy', '2023-01-20');
    expect(r.sections[0]?.items.map((i) => i.url)).toContain('https://github.com/rust-lang/rust-clippy/pull/10160');
  });
});
