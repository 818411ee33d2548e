import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExtractContext, type ExtractContext } from '../../../../src/core/issue/context.js';
import { parseIssue } from '../../../../src/core/issue/parse-issue.js';
import { extractJobs } from '../../../../src/core/issue/sections/jobs.js';

const ARCHIVE = new URL('../../../../../shared/twir-archive/', import.meta.url);
const SEEDS = new URL('../../../../../shared/seeds/', import.meta.url);

const ctxOf = (markdown: string, date = '2024-10-30'): ExtractContext => createExtractContext(markdown, date);

const jobs = (markdown: string) => extractJobs(ctxOf(markdown));

const TWEET = '*Tweet us at [@ThisWeekInRust](https://twitter.com/ThisWeekInRust) to get your job offers listed here!*';

describe('extractJobs by era', () => {
  it('reads the 2015–16 `# fn work(on: RustProject) -> Money` section like Rust Jobs', () => {
    const md = `# fn work(on: RustProject) -> Money

* [Technical Lead/Manager](https://ebip.co.uk/careers) at EBI Portfolios.

${TWEET}
`;
    expect(jobs(md)).toEqual([{ title: 'Technical Lead/Manager at EBI Portfolios', url: 'https://ebip.co.uk/careers' }]);
  });

  it('reads 2017–21 bullets, adding the company written after the link, and skips "Tweet us"', () => {
    const md = `# Rust Jobs

* [Rust Engineer at MaidSafe](https://maidsafe.net/careers.html#rust_engineer).
* [Postdoc positions for RustBelt project](http://lists.seas.upenn.edu/pipermail/types-announce/2017/006485.html) at MPI-SWS.

${TWEET}
`;
    expect(jobs(md)).toEqual([
      { title: 'Rust Engineer at MaidSafe', url: 'https://maidsafe.net/careers.html#rust_engineer' },
      {
        title: 'Postdoc positions for RustBelt project at MPI-SWS',
        url: 'http://lists.seas.upenn.edu/pipermail/types-announce/2017/006485.html',
      },
    ]);
  });

  it('titles 2021–22 openings with the **Company** line above them', () => {
    const md = `# Rust Jobs

**Modeldrive**

* [Senior Rust Engineer (London / Remote)](https://www.modeldrive.com/jobs)

**Kraken**

* [Backend Engineer - Rust - Core Backend (Remote)](https://jobs.lever.co/kraken/4019a818)
* [Backend Engineer, Kraken Futures - Rust (Remote)](https://jobs.lever.co/kraken/fe1e07f4)

${TWEET}
`;
    expect(jobs(md)).toEqual([
      { title: 'Senior Rust Engineer (London / Remote) at Modeldrive', url: 'https://www.modeldrive.com/jobs' },
      { title: 'Backend Engineer - Rust - Core Backend (Remote) at Kraken', url: 'https://jobs.lever.co/kraken/4019a818' },
      { title: 'Backend Engineer, Kraken Futures - Rust (Remote)', url: 'https://jobs.lever.co/kraken/fe1e07f4' },
    ]);
  });

  it('uses the bullet text when its links are only locations (2021-09-01)', () => {
    const md = `# Rust Jobs

**TrueLayer**

* Software Engineer, Engineering Ops ([London, UK](https://apply.workable.com/truelayer/j/920145EAFA/), [Milan, IT](https://apply.workable.com/truelayer/j/BD3F858CA7/))
* Student Research Assistant for developing Clippy in Karlsruhe (contact oliver.schneider \\at kit.edu).
`;
    expect(jobs(md)).toEqual([
      {
        title: 'Software Engineer, Engineering Ops (London, UK, Milan, IT) at TrueLayer',
        url: 'https://apply.workable.com/truelayer/j/920145EAFA/',
      },
    ]);
  });

  it("yields the Who's Hiring thread, titled by its link text, and never the template comment (2022–)", () => {
    const md = `## Jobs
<!--

Rust Jobs:

TWiR has stopped featuring individual job postings. You can read more about this change here:

https://github.com/rust-lang/this-week-in-rust/issues/3412

-->

Please see the latest [Who's Hiring thread on r/rust](https://www.reddit.com/r/rust/comments/1gf5ue1/official_rrust_whos_hiring_thread_for_jobseekers/)
`;
    expect(jobs(md)).toEqual([
      {
        title: "Who's Hiring thread on r/rust",
        url: 'https://www.reddit.com/r/rust/comments/1gf5ue1/official_rrust_whos_hiring_thread_for_jobseekers/',
      },
    ]);
  });

  it('skips the GitHub issue that explains the change (2022-06-29)', () => {
    const md = `# Rust Jobs

We have made some changes to our jobs section, please see [this GitHub issue](https://github.com/rust-lang/this-week-in-rust/issues/3412) for an explanation and the [most current Who's Hiring thread on r/rust](https://www.reddit.com/r/rust/comments/utav5l/x/).
`;
    expect(jobs(md)).toEqual([
      { title: "most current Who's Hiring thread on r/rust", url: 'https://www.reddit.com/r/rust/comments/utav5l/x/' },
    ]);
  });
});

describe('extractJobs without jobs', () => {
  it('yields nothing for "No jobs listed" weeks', () => {
    expect(jobs(`# Rust Jobs\n\n*No jobs listed for this week.*\n\n${TWEET}\n`)).toEqual([]);
  });

  it('yields nothing for a thread link that is still a placeholder', () => {
    expect(jobs("## Jobs\n\nPlease see the latest [Who's Hiring thread on r/rust](INSERT_LINK_HERE)\n")).toEqual([]);
  });

  it('yields nothing for postings outside a Jobs section', () => {
    expect(jobs('# Updates\n\n* [Rust Engineer at MaidSafe](https://maidsafe.net/careers.html)\n')).toEqual([]);
  });
});

describe('extractJobs on real issues', () => {
  const issue = (file: string) => parseIssue(readFileSync(new URL(file, ARCHIVE), 'utf8'), { file });

  it("reads the Who's Hiring link of #571 (2024-10-30)", () => {
    expect(issue('2024-10-30-this-week-in-rust.md').jobs).toEqual([
      {
        title: "Who's Hiring thread on r/rust",
        url: 'https://www.reddit.com/r/rust/comments/1gf5ue1/official_rrust_whos_hiring_thread_for_jobseekers/',
      },
    ]);
  });

  it('reads every opening of a 2021 issue with company lines (2021-10-20)', () => {
    const found = issue('2021-10-20-this-week-in-rust.md').jobs;
    expect(found).toHaveLength(9);
    expect(found[0]).toEqual({ title: 'Senior Rust Engineer (London / Remote) at Modeldrive', url: 'https://www.modeldrive.com/jobs' });
  });

  it('yields nothing for a published issue whose thread link stayed a placeholder (2023-08-16)', () => {
    expect(issue('2023-08-16-this-week-in-rust.md').jobs).toEqual([]);
  });

  it('yields nothing for drafts with INSERT_LINK_HERE, and the link once filled in', () => {
    const seed = (file: string) => parseIssue(readFileSync(new URL(file, SEEDS), 'utf8'), { file });
    expect(seed('000_3c8636344d0deccc.txt').jobs).toEqual([]);
    expect(seed('003_d4bedbdc5aaa2816.txt').jobs).toEqual([]);
    expect(seed('001_7480672c79e93d81.txt').jobs.map((j) => j.title)).toEqual(["Who's Hiring thread on r/rust"]);
  });
});
