import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExtractContext, type ExtractContext } from '../../../../src/core/issue/context.js';
import { parseIssue } from '../../../../src/core/issue/parse-issue.js';
import { extractQuoteOfWeek } from '../../../../src/core/issue/sections/quote.js';

const ARCHIVE = new URL('../../../../../shared/twir-archive/', import.meta.url);
const SEEDS = new URL('../../../../../shared/seeds/', import.meta.url);

const ctxOf = (markdown: string, date = '2024-10-30'): ExtractContext => createExtractContext(markdown, date);

const quote = (markdown: string) => extractQuoteOfWeek(ctxOf(markdown));

/** The expected quote of a week with one part: that part is the quote itself. */
const single = (q: { text: string; attribution: string | null; url: string | null; suggestedBy: string | null }) => ({
  ...q,
  parts: [{ text: q.text, attribution: q.attribution, url: q.url }],
});

const FOOTER = `
[Please submit quotes and vote for next week!](https://users.rust-lang.org/t/twir-quote-of-the-week/328)

*This Week in Rust is edited by: [nellshamrell](https://github.com/nellshamrell), [llogiq](https://github.com/llogiq).*

*Email list hosting is sponsored by [The Rust Foundation](https://foundation.rust-lang.org/)*

<small>[Discuss on r/rust](https://www.reddit.com/r/rust/comments/1gg2v76/this_week_in_rust_571/)</small>
`;

describe('extractQuoteOfWeek by era', () => {
  it('reads the 2016– form: blockquote, dash line with a link, thanks line, and ignores the footer', () => {
    const md = `# Quote of the Week

> In the compiler business this is called carcinization: a tendency of non-crab organisms
> to evolve crab-like features.

– [Sean Baxter on circle-lang.org](https://www.circle-lang.org/draft-profiles.html)

Thanks to [Collin Richards](https://users.rust-lang.org/t/twir-quote-of-the-week/328/1643) for the suggestion!
${FOOTER}`;
    expect(quote(md)).toEqual(
      single({
        text: 'In the compiler business this is called carcinization: a tendency of non-crab organisms to evolve crab-like features.',
        attribution: 'Sean Baxter on circle-lang.org',
        url: 'https://www.circle-lang.org/draft-profiles.html',
        suggestedBy: 'Collin Richards',
      }),
    );
  });

  it('keeps paragraphs of a long quote apart and reads a `- [speaker](url)` line, which markdown makes a list (2020)', () => {
    const md = `# Quote of the Week

> *Empowering* is the perfect word to describe Rust in 2020.
>
> At least, that's what it did for me.

- [Mathias Lafeldt on his blog](https://sharpend.io/giving-rust-another-shot-in-2020/)

Thanks to [Henrik Tougaard](https://users.rust-lang.org/t/twir-quote-of-the-week/328/915) for the suggestion!
`;
    expect(quote(md)).toEqual(
      single({
        text: "Empowering is the perfect word to describe Rust in 2020.\n\nAt least, that's what it did for me.",
        attribution: 'Mathias Lafeldt on his blog',
        url: 'https://sharpend.io/giving-rust-another-shot-in-2020/',
        suggestedBy: 'Henrik Tougaard',
      }),
    );
  });

  it('reads a 2015 italic quote with the speaker after a dash in the same paragraph', () => {
    const md = `# Quote of the Week

*In programming (as opposed to politics), safety=freedom.* — [llogiq on /r/rust](https://www.reddit.com/r/rust/comments/3mofy0/x/cvgpwke).

Thanks to [birkenfeld](https://users.rust-lang.org/users/birkenfeld) for the tip. [Submit your quotes for next week][submit]!

[submit]: http://users.rust-lang.org/t/twir-quote-of-the-week/328
`;
    expect(quote(md)).toEqual(
      single({
        text: 'In programming (as opposed to politics), safety=freedom.',
        attribution: 'llogiq on /r/rust',
        url: 'https://www.reddit.com/r/rust/comments/3mofy0/x/cvgpwke',
        suggestedBy: 'birkenfeld',
      }),
    );
  });

  it('reads a 2015 quoted italic paragraph with the speaker on the next line, and keeps both of two quotes, each with its speaker', () => {
    const md = `# Quote of the Week

*"Dude, you can't just tell people it's the secret plan; then it won't be a secret any more!"*

Quxxy, from [/r/rust](http://www.reddit.com/r/rust/comments/36z2n0/x/cribpl5).

*"The 1st rule of Secret Rust Club is: you don't talk about Secret Rust Club."*

JakDrako, from the same thread.

Thanks to drbawb and Manishearth for the tip. [Submit your quotes for next week!][submit].

[submit]: http://users.rust-lang.org/t/twir-quote-of-the-week/328
`;
    const first = {
      text: "Dude, you can't just tell people it's the secret plan; then it won't be a secret any more!",
      attribution: 'Quxxy, from /r/rust',
      url: 'http://www.reddit.com/r/rust/comments/36z2n0/x/cribpl5',
    };
    expect(quote(md)).toEqual({
      ...first,
      suggestedBy: 'drbawb and Manishearth',
      parts: [
        first,
        {
          text: "The 1st rule of Secret Rust Club is: you don't talk about Secret Rust Club.",
          attribution: 'JakDrako, from the same thread',
          url: null,
        },
      ],
    });
  });

  it('keeps the lines of a 2015 IRC log in a code block', () => {
    const md = `# Quote of the Week

\`\`\`
<mbrubeck> the 5 stages of loss and rust
<mbrubeck> 1. type check. 2. borrow check. 3. anger. 4. acceptance. 5. rust upgrade
\`\`\`

Thanks to jdm for the tip. [Submit your quotes for next week!][submit].

[submit]: http://users.rust-lang.org/t/twir-quote-of-the-week/328
`;
    expect(quote(md)).toEqual(
      single({
        text: '<mbrubeck> the 5 stages of loss and rust\n<mbrubeck> 1. type check. 2. borrow check. 3. anger. 4. acceptance. 5. rust upgrade',
        attribution: null,
        url: null,
        suggestedBy: 'jdm',
      }),
    );
  });

  it('reads a 2014 quote with its speaker in one paragraph under "Quotes of the Week"', () => {
    const md = `# Quotes of the Week

"[I] find it easy to get lost in this file." -
[kud1ing](https://github.com/mozilla/rust/pull/11472/files#r8810362) on
\`libc.rs\`
`;
    expect(quote(md)).toEqual(
      single({
        text: '[I] find it easy to get lost in this file.',
        attribution: 'kud1ing on libc.rs',
        url: 'https://github.com/mozilla/rust/pull/11472/files#r8810362',
        suggestedBy: null,
      }),
    );
  });

  it('reads a speaker written as the last, lazy line of a blockquote (2014-01-18)', () => {
    const md = `# Quotes of the Week

> who needs pure functional when you have pure cool?
— eddyb
`;
    expect(quote(md)).toMatchObject({ text: 'who needs pure functional when you have pure cool?', attribution: 'eddyb', url: null });
  });

  it('joins an exchange bridged by "And the reply:" into one quote (2024-05-08)', () => {
    const md = `# Quote of the Week

> Rust and its borrow checker are like proper form when lifting boxes.

And the reply:

> proper form while lifting boxes are a really terrible way to model graphs

– [Brett Witty and Leon on Mastodon](https://mstdn.social/@brettwitty/111734369720814683)
`;
    expect(quote(md)).toMatchObject({
      text: 'Rust and its borrow checker are like proper form when lifting boxes.\n\nAnd the reply:\n\nproper form while lifting boxes are a really terrible way to model graphs',
      attribution: 'Brett Witty and Leon on Mastodon',
    });
  });

  it('keeps the hard line breaks of a verse quoted without a blockquote (2021-08-10)', () => {
    const md = `# Quote of the Week

We regrettably lack nominations,  
so as I can't choose fresh quotations,  
I'll offer this rhyme

– a very sorry llogiq
`;
    expect(quote(md)).toEqual(
      single({
        text: "We regrettably lack nominations,\nso as I can't choose fresh quotations,\nI'll offer this rhyme",
        attribution: 'a very sorry llogiq',
        url: null,
        suggestedBy: null,
      }),
    );
  });

  it('credits the editor for a quote he picked himself', () => {
    const md = `# Quote of the Week

> I'm getting more convinced that Rust code is generally going to end up faster than C++ code.

– [Patrick Walton on twitter](https://twitter.com/pcwalton/status/1585709621955526657)

llogiq is exceedingly pleased with his suggestion.
`;
    expect(quote(md)?.suggestedBy).toBe('llogiq');
  });
});

describe('extractQuoteOfWeek without a quote', () => {
  it('returns null for "no quote" weeks of every era', () => {
    expect(
      quote(
        '# Quote of the Week\n\n*No quote was selected for QotW.*\n\n[Submit your quotes for next week][submit]!\n\n[submit]: http://x.org/\n',
      ),
    ).toBeNull();
    expect(quote(`# Quote of the Week\n\nSadly, we had no quote suggestions this week.\n${FOOTER}`)).toBeNull();
  });

  it('returns null for the draft template: comment, submit link and footer only', () => {
    expect(quote(`# Quote of the Week\n\n<!-- QOTW goes here -->\n${FOOTER}`)).toBeNull();
  });

  it('does not throw on a blockquote nested thousands deep', () => {
    expect(() => quote(`# Quote of the Week\n\n${'> '.repeat(3000)}deep\n\n– someone\n`)).not.toThrow();
  });

  it('returns null without a Quote of the Week heading', () => {
    expect(quote('# Updates\n\n> A blockquote elsewhere.\n\n– someone\n')).toBeNull();
  });
});

describe('extractQuoteOfWeek on real issues', () => {
  const issue = (file: string) => parseIssue(readFileSync(new URL(file, ARCHIVE), 'utf8'), { file });

  it('reads #571 (2024-10-30), whose speaker line is a lazy continuation of the blockquote', () => {
    const q = issue('2024-10-30-this-week-in-rust.md').quoteOfWeek;
    expect(q).toMatchObject({
      attribution: 'Sean Baxter on circle-lang.org',
      url: 'https://www.circle-lang.org/draft-profiles.html#carcinization',
      suggestedBy: 'Collin Richards',
    });
    expect(q?.text).toMatch(/^An earnest effort to pursue \[P1179R1\].*carcinization/);
  });

  it('reads the quote of the combined "Crate & Quote of the Week" section without the crate thanks (2015-11-02)', () => {
    expect(issue('2015-11-02-this-week-in-rust.md').quoteOfWeek).toMatchObject({
      attribution: 'llogiq on the alias crate',
      url: 'https://github.com/llogiq',
      suggestedBy: null,
    });
  });

  it('returns null for a week without a quote (2023-12-13)', () => {
    expect(issue('2023-12-13-this-week-in-rust.md').quoteOfWeek).toBeNull();
  });

  it('returns null for drafts whose quote is still a placeholder, and reads the final draft of #467', () => {
    const seed = (file: string) => parseIssue(readFileSync(new URL(file, SEEDS), 'utf8'), { file });
    expect(seed('000_3c8636344d0deccc.txt').quoteOfWeek).toBeNull();
    expect(seed('001_7480672c79e93d81.txt').quoteOfWeek).toBeNull();
    expect(seed('004_be7993779cdb8d4a.txt').quoteOfWeek).toMatchObject({ attribution: 'Patrick Walton on twitter', suggestedBy: 'llogiq' });
  });
});
