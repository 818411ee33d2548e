import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExtractContext } from '../../../src/core/issue/context.js';
import { parseIssue } from '../../../src/core/issue/parse-issue.js';
import { extractLinks } from '../../../src/core/issue/sections/links.js';
import { ARCHIVE_DIR } from '../../support/archive.js';

const issue = (file: string) => parseIssue(readFileSync(`${ARCHIVE_DIR}/${file}`, 'utf8'), { file });

describe('quotes of the week written as an exchange keep every part, each attributed', () => {
  it('2025-10-15: two speakers, the second with his link', () => {
    const q = issue('2025-10-15-this-week-in-rust.md').quoteOfWeek;
    expect(q?.parts).toEqual([
      { text: 'Pointers are quite hard.', attribution: 'Tim McNamara', url: null },
      {
        text: 'And, as the name implies, pointy.',
        attribution: 'llogiq on LinkedIn',
        url: expect.stringMatching(/^https:\/\/www\.linkedin\.com\//),
      },
    ]);
    expect(q?.suggestedBy).toBe('llogiq');
  });

  it('2020-07-14: a reply with its own speaker and link', () => {
    const q = issue('2020-07-14-this-week-in-rust.md').quoteOfWeek;
    expect(q?.parts.map((p) => p.attribution)).toEqual(['RalfJung', 'and ZiCog on rust-users']);
    expect(q?.parts[1]?.url).toBe('https://users.rust-lang.org/t/twir-quote-of-the-week/328/900');
    expect(q?.parts[1]?.text).toMatch(/^I'm not sure what is meant there/);
  });

  it('two quotes in one week (2019-02-05) both keep their speaker; a plain quote has one part', () => {
    const two = issue('2019-02-05-this-week-in-rust.md').quoteOfWeek;
    expect(two?.parts.map((p) => p.attribution)).toEqual(['/u/bkv on /r/rust', 'llogiq on /r/rust']);
    const one = issue('2024-10-30-this-week-in-rust.md').quoteOfWeek;
    expect(one?.parts).toHaveLength(1);
    expect(one?.parts[0]?.attribution).toBe(one?.attribution);
  });

  it('every quote of the archive has parts, the first being the quote itself', () => {
    for (const q of ['2015-06-08', '2017-03-21', '2021-08-10', '2024-05-08'].map((d) => issue(`${d}-this-week-in-rust.md`).quoteOfWeek)) {
      expect(q?.parts[0]).toEqual({ text: q?.text, attribution: q?.attribution, url: q?.url });
    }
  });
});

describe('perf triage counts and report link', () => {
  it('reads the regression, improvement and mixed counts (2026-08-19)', () => {
    expect(issue('2026-08-19-this-week-in-rust.md').perfTriage?.counts).toEqual({ regressions: 0, improvements: 6, mixed: 7 });
    expect(issue('2021-03-10-this-week-in-rust.md').perfTriage?.counts).toEqual({ regressions: 1, improvements: 4, mixed: 1 });
  });

  it('links the compared revision range when a 2021–22 week has no full report', () => {
    expect(issue('2021-03-10-this-week-in-rust.md').perfTriage?.reportUrl).toMatch(/^https:\/\/perf\.rust-lang\.org\/\?start=edeee/);
    expect(issue('2022-06-29-this-week-in-rust.md').perfTriage?.reportUrl).toMatch(/^https:\/\/perf\.rust-lang\.org\//);
    expect(issue('2026-08-19-this-week-in-rust.md').perfTriage?.reportUrl).toMatch(/rustc-perf\/.*triage\/2026\/2026-08-18\.md$/);
  });
});

describe('a bullet with several links indexes each', () => {
  it('keeps every link with the bullet text as context', () => {
    const md = `# Updates from Rust Community

## Observations/Thoughts

* [video] [Rust at scale](https://video.example.net/scale) and the [slides](https://slides.example.net/scale), with [serde](https://serde.rs/) notes
`;
    const links = extractLinks(createExtractContext(md, '2025-01-01'));
    expect(links.map((l) => l.url)).toEqual(['https://video.example.net/scale', 'https://slides.example.net/scale', 'https://serde.rs/']);
    expect(links.map((l) => l.title)).toEqual(['Rust at scale', 'Rust at scale — slides', 'serde']);
    for (const l of links) expect(l.text).toMatch(/^\[video\] Rust at scale and the slides, with serde notes$/);
    expect(links[0]?.tags).toEqual(['video']);
  });

  it('indexes the second PR of a merged-PR bullet (2023-01-11)', () => {
    const links = issue('2023-01-11-this-week-in-rust.md').links;
    const second = links.find((l) => l.url === 'https://github.com/rust-lang/rust-clippy/pull/10160');
    expect(second?.title).toBe('default_trait_access/clone_on_copy suggestions');
    expect(second?.text).toMatch(/^clippy: trim paths in box_default and /);
  });
});
