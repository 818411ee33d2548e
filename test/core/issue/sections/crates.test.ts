import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExtractContext, type ExtractContext } from '../../../../src/core/issue/context.js';
import { parseIssue } from '../../../../src/core/issue/parse-issue.js';
import { editorPick, extractCratesOfWeek, sentenceRanges, thanksIn } from '../../../../src/core/issue/sections/crates.js';

const ARCHIVE = new URL('../../../../../shared/twir-archive/', import.meta.url);
const SEEDS = new URL('../../../../../shared/seeds/', import.meta.url);

const ctxOf = (markdown: string, date = '2024-10-30'): ExtractContext => createExtractContext(markdown, date);

const crates = (markdown: string) => extractCratesOfWeek(ctxOf(markdown));

describe('extractCratesOfWeek: one crate per era', () => {
  it('reads the 2021– form: name, url, the clause after the name, and a self-suggestion', () => {
    const md = `## Crate of the Week

This week's crate is [tower-http-client](https://github.com/alekseysidorov/tower-http-client), a library of middlewares and various utilities for HTTP-clients.

Thanks to [Aleksey Sidorov](https://users.rust-lang.org/t/crate-of-the-week/2704/1366) for the self-suggestion!

[Please submit your suggestions and votes for next week][submit_crate]!

[submit_crate]: https://users.rust-lang.org/t/crate-of-the-week/2704
`;
    expect(crates(md)).toEqual([
      {
        name: 'tower-http-client',
        url: 'https://github.com/alekseysidorov/tower-http-client',
        description: 'a library of middlewares and various utilities for HTTP-clients',
        suggestedBy: 'Aleksey Sidorov',
      },
    ]);
  });

  it('reads the 2016–17 form with the thanks in the same paragraph', () => {
    const md = `# Crate of the Week

This week's crate of the week is [cargo-fuzz](https://crates.io/crates/cargo-fuzz), a cargo subcommand to run libfuzz on your code. Thanks to [nasa42](https://users.rust-lang.org/users/nasa42) for the suggestion.
`;
    expect(crates(md)).toEqual([
      {
        name: 'cargo-fuzz',
        url: 'https://crates.io/crates/cargo-fuzz',
        description: 'a cargo subcommand to run libfuzz on your code',
        suggestedBy: 'nasa42',
      },
    ]);
  });

  it('strips backticks and markdown escapes from the name and keeps "which …" clauses', () => {
    const escaped =
      "## Crate of the Week\n\nThis week's crate is [flutter\\_rust\\_bridge](https://github.com/fzyzcjy/flutter_rust_bridge), which generates bindings.\n";
    expect(crates(escaped)[0]).toMatchObject({ name: 'flutter_rust_bridge', description: 'which generates bindings' });
    const code = "## Crate of the Week\n\nThis week's crate is [`inline_tweak`](https://docs.rs/inline_tweak), a crate.\n";
    expect(crates(code)[0]).toMatchObject({ name: 'inline_tweak', description: 'a crate' });
  });

  it('uses the next sentence when the name ends its sentence (2015–16)', () => {
    const md = `# Crate of the Week

This week's Crate of the Week is [ramp](https://crates.io/crates/ramp). Ramp supplies some high performance big integral types.

Thanks to [zcdziura](https://users.rust-lang.org/users/zcdziura) for this week's suggestion. [Submit your suggestions for next week][submit_crate]!

[submit_crate]: https://users.rust-lang.org/t/crate-of-the-week/2704
`;
    expect(crates(md)).toEqual([
      {
        name: 'ramp',
        url: 'https://crates.io/crates/ramp',
        description: 'Ramp supplies some high performance big integral types',
        suggestedBy: 'zcdziura',
      },
    ]);
  });

  it('takes the description from a later paragraph that opens with the same crate link (2015-09-07)', () => {
    const md = `# Crate of the Week

For this first installment, the most votes went to [Serde](https://github.com/serde-rs/serde). Thanks go to [bstrie](https://users.rust-lang.org/users/bstrie) for the suggestion.

[**Serde**](https://github.com/serde-rs/serde) (de)serializes arbitrary Rust data to a number of formats. It is possible to write more.
`;
    expect(crates(md)).toEqual([
      {
        name: 'Serde',
        url: 'https://github.com/serde-rs/serde',
        description: '(de)serializes arbitrary Rust data to a number of formats',
        suggestedBy: 'bstrie',
      },
    ]);
  });

  it('skips a suggester link that comes before the crate (2016-06-27)', () => {
    const md = `# Crate of the Week

User [jkcclemens](https://users.rust-lang.org/users/jkcclemens) suggested his own [bins](https://crates.io/crates/bins) crate that lets us create pastebins. Thanks, jkcclemens!
`;
    expect(crates(md)).toEqual([
      { name: 'bins', url: 'https://crates.io/crates/bins', description: 'crate that lets us create pastebins', suggestedBy: 'jkcclemens' },
    ]);
  });

  it('ends the clause at a thanks line that follows a comma (2017-09-12)', () => {
    const md = `# Crate of the Week

This week's crate is [pikkr](https://github.com/pikkr/pikkr), a JSON parser that is blazingly fast using AVX2 instructions,
Thank you, [bstrie](https://users.rust-lang.org/u/bstrie) for the suggestion!
`;
    expect(crates(md)[0]).toMatchObject({
      description: 'a JSON parser that is blazingly fast using AVX2 instructions',
      suggestedBy: 'bstrie',
    });
  });

  it('credits the editor when he picked the crate himself', () => {
    const md = `## Crate of the Week

This week's crate is [cargo-crev](https://web.crev.dev/rust-reviews/), a tool to distribute security review of the crates we all depend on.

As there was no suggestion this week, llogiq is pretty thankful to himself for choosing this crate.
`;
    expect(crates(md)[0]).toMatchObject({ name: 'cargo-crev', suggestedBy: 'llogiq' });
  });
});

describe('extractCratesOfWeek: several crates', () => {
  it('reads "This week we have two crates: [a](…), … [b](…) is …" (2019-05-21)', () => {
    const md = `# Crate of the Week

This week we have two crates: [memory-profiler](https://github.com/nokia/memory-profiler), does what it says on the box. [momo](https://github.com/llogiq/momo) is a procedural macro that outlines generic conversions. Thanks to [ehsanmok](https://users.rust-lang.org/t/crate-of-the-week/2704/549) and llogiq for the suggestion!
`;
    expect(crates(md)).toEqual([
      {
        name: 'memory-profiler',
        url: 'https://github.com/nokia/memory-profiler',
        description: 'does what it says on the box',
        suggestedBy: 'ehsanmok and llogiq',
      },
      {
        name: 'momo',
        url: 'https://github.com/llogiq/momo',
        description: 'is a procedural macro that outlines generic conversions',
        suggestedBy: 'ehsanmok and llogiq',
      },
    ]);
  });

  it('does not take a link inside a description for a crate (2020-02-18)', () => {
    const md = `# Crate of the Week

This week's crates are [pointer-utils](https://github.com/CAD97/pointer-utils), a small library for working with pointers, and [jlrs](https://github.com/Taaitaaiger/jlrs), a crate to call [Julia](https://julialang.org) from Rust.

Thanks to [Vikrant](https://users.rust-lang.org/t/crate-of-the-week/2704/729) for the suggestions!
`;
    expect(crates(md).map((c) => [c.name, c.description])).toEqual([
      ['pointer-utils', 'a small library for working with pointers'],
      ['jlrs', 'a crate to call Julia from Rust'],
    ]);
  });

  it('reads three crates in one sentence and a shared thanks line (2019-10-15)', () => {
    const md = `# Crate of the Week

This week, we don't have one, nor two, but *three* crates of the week! There's [Watt](https://github.com/dtolnay/watt), a fast WASM-based proc-macro runtime, [Anyhow](https://github.com/dtolnay/anyhow), yet another error handling crate and [spotify-tui](https://github.com/Rigellute/spotify-tui), a console user interface for Spotify.
Thanks to [Aloso](https://users.rust-lang.org/t/crate-of-the-week/2704/649), [zicklag](https://users.rust-lang.org/t/crate-of-the-week/2704/645) and [Vikrant](https://users.rust-lang.org/t/crate-of-the-week/2704/644) for the suggestion!
`;
    const found = crates(md);
    expect(found.map((c) => c.name)).toEqual(['Watt', 'Anyhow', 'spotify-tui']);
    expect(found[1]?.description).toBe('yet another error handling crate');
    expect(found.every((c) => c.suggestedBy === 'Aloso, zicklag and Vikrant')).toBe(true);
  });

  it('reads one crate per bullet (2019-11-12)', () => {
    const md = `# Crate of the Week

This week has multiple crates:

* [accurate](https://crates.io/crates/accurate), accumulator types for more accurate sums
* [transfer](https://github.com/dureuill/transfer), a crate to transfer values between pinned instances.

Thanks to [Nestor Demeure](https://users.rust-lang.org/t/crate-of-the-week/2704/666) and [Willi Kappler](https://users.rust-lang.org/t/crate-of-the-week/2704/669) for the suggestions!
`;
    expect(crates(md)).toEqual([
      {
        name: 'accurate',
        url: 'https://crates.io/crates/accurate',
        description: 'accumulator types for more accurate sums',
        suggestedBy: 'Nestor Demeure and Willi Kappler',
      },
      {
        name: 'transfer',
        url: 'https://github.com/dureuill/transfer',
        description: 'a crate to transfer values between pinned instances',
        suggestedBy: 'Nestor Demeure and Willi Kappler',
      },
    ]);
  });
});

describe('extractCratesOfWeek: weeks without a crate', () => {
  it('yields nothing for "no nominations" weeks, whose only link is the submit link', () => {
    const md = `# Crate of the Week

This week is a bit sad for lack of a crate. Look, if you want a weekly crate, [submit your suggestions and votes for next week][submit_crate]!

[submit_crate]: https://users.rust-lang.org/t/crate-of-the-week/2704
`;
    expect(crates(md)).toEqual([]);
  });

  it('yields nothing for the template comment of a draft', () => {
    const md = `## Crate of the Week

<!-- COTW goes here -->

[Please submit your suggestions and votes for next week][submit_crate]!

[submit_crate]: https://users.rust-lang.org/t/crate-of-the-week/2704
`;
    expect(crates(md)).toEqual([]);
  });

  it('ignores placeholder links and headings nested under the section (2024-02-21)', () => {
    const md = `## Crate of the Week

This week's crate is [TODO](INSERT_LINK_HERE).

#### [Call for Testing](https://github.com/rust-lang/rfcs/issues?q=label%3Acall-for-testing)

* [RFC: Checking conditional compilation at compile time](https://github.com/rust-lang/rfcs/pull/3013)
`;
    expect(crates(md)).toEqual([]);
  });

  it('yields nothing without a Crate of the Week heading', () => {
    expect(crates("# Updates\n\nThis week's crate is [x](https://crates.io/crates/x), a crate.\n")).toEqual([]);
  });
});

describe('credit helpers', () => {
  it('reads names from the thanks phrasings of every era', () => {
    expect(thanksIn('Thanks go to Reddit user notriddle for the suggestion.')).toBe('notriddle');
    expect(thanksIn('Thanks to DanielKeep, who had this to say:')).toBe('DanielKeep');
    expect(thanksIn('Thanks, Vincent!')).toBe('Vincent');
    expect(thanksIn('Thanks again to Vlad Frolov for the suggestion!')).toBe('Vlad Frolov');
    expect(thanksIn('Thanks to matthieum for the suggestion.')).toBe('matthieum');
    expect(thanksIn('Thanks for the self-suggestion!')).toBe('self');
    expect(thanksIn('writing GUI code is a breeze thanks to the streamlined interface.')).toBeNull();
  });

  it('names the editor only when he is said to have picked the item', () => {
    expect(editorPick('Despite a lamentable lack of suggestions, llogiq is pleased with his choice.')).toBe('llogiq');
    expect(editorPick("This week's crate, as decreed by llogiq, is im.")).toBe('llogiq');
    expect(editorPick('Sadly, no crate was nominated this week.')).toBeNull();
  });

  it('does not end a sentence at initials or abbreviations', () => {
    const text = 'Thanks to Daniel P. Clark for it. It is the Rust version of Prof. D. Lemire’s bitmap, e.g. for sets. Done.';
    expect(sentenceRanges(text).map((r) => text.slice(r.start, r.end).trim())).toEqual([
      'Thanks to Daniel P. Clark for it.',
      'It is the Rust version of Prof. D. Lemire’s bitmap, e.g. for sets.',
      'Done.',
    ]);
  });
});

describe('extractCratesOfWeek on real issues', () => {
  const issue = (file: string) => parseIssue(readFileSync(new URL(file, ARCHIVE), 'utf8'), { file });

  it('finds tower-http-client in #571 (2024-10-30)', () => {
    expect(issue('2024-10-30-this-week-in-rust.md').cratesOfWeek).toEqual([
      {
        name: 'tower-http-client',
        url: 'https://github.com/alekseysidorov/tower-http-client',
        description: 'a library of middlewares and various utilities for HTTP-clients',
        suggestedBy: 'Aleksey Sidorov',
      },
    ]);
  });

  it('finds bacon in #569 (2024-10-16)', () => {
    expect(issue('2024-10-16-this-week-in-rust.md').cratesOfWeek.map((c) => c.name)).toEqual(['bacon']);
  });

  it('finds the crate of the combined "Crate & Quote of the Week" section (2015-11-02)', () => {
    expect(issue('2015-11-02-this-week-in-rust.md').cratesOfWeek).toEqual([
      { name: 'alias', url: 'https://github.com/huonw/alias', description: 'by Huon W', suggestedBy: 'notriddle' },
    ]);
  });

  it('finds both crates of 2024-07-31', () => {
    expect(issue('2024-07-31-this-week-in-rust.md').cratesOfWeek.map((c) => c.name)).toEqual(['static-keys', 'bon']);
  });

  it('finds no crate in a week without nominations (2017-07-11)', () => {
    expect(issue('2017-07-11-this-week-in-rust.md').cratesOfWeek).toEqual([]);
  });

  it('finds nothing in a draft whose crate is still a comment, and the crate once it is filled in', () => {
    const seed = (file: string) => parseIssue(readFileSync(new URL(file, SEEDS), 'utf8'), { file });
    expect(seed('000_3c8636344d0deccc.txt').cratesOfWeek).toEqual([]);
    expect(seed('002_00b0535985c8d328.txt').cratesOfWeek).toEqual([]);
    expect(seed('001_7480672c79e93d81.txt').cratesOfWeek.map((c) => c.name)).toEqual(['tower-http-client']);
  });
});
