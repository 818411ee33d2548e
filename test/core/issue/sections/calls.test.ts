import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExtractContext, type ExtractContext } from '../../../../src/core/issue/context.js';
import { parseIssue } from '../../../../src/core/issue/parse-issue.js';
import {
  extractCallsForTesting,
  extractCfpEvents,
  extractCfpProjects,
  firstDate,
  splitProject,
} from '../../../../src/core/issue/sections/calls.js';

const ctxOf = (markdown: string, date = '2024-10-30'): ExtractContext => createExtractContext(markdown, date);

const archive = new URL('../../../../../shared/twir-archive/', import.meta.url);
const seeds = new URL('../../../../../shared/seeds/', import.meta.url);

describe('extractCallsForTesting', () => {
  it('reads the 2022 `Call for Testing (*New!*)` list without group and ignores the nested testing links', () => {
    const md = `### Call for Testing (*New!*)
* [RFC: Deduplicate Cargo workspace information](https://github.com/rust-lang/rfcs/pull/2906)
    - [Tracking Issue](https://github.com/rust-lang/cargo/issues/8415)
    - [Testing steps](https://github.com/rust-lang/cargo/blob/master/src/doc/src/reference/unstable.md#testing-notes)
* [Tracking Issue for scoped threads](https://github.com/rust-lang/rust/issues/93203)
`;
    expect(extractCallsForTesting(ctxOf(md, '2022-05-18'))).toEqual([
      { title: 'RFC: Deduplicate Cargo workspace information', url: 'https://github.com/rust-lang/rfcs/pull/2906', group: null },
      { title: 'Tracking Issue for scoped threads', url: 'https://github.com/rust-lang/rust/issues/93203', group: null },
    ]);
  });

  it('groups 2024+ calls by their `### [RFCs]` / `### [Rust]` / `##### [Rustup]` subheadings', () => {
    const md = `## Calls for Testing
An important step for RFC implementation is for people to experiment with the
implementation and give feedback, especially before stabilization.

### [RFCs](https://github.com/rust-lang/rfcs/issues?q=label%3Acall-for-testing)
* [RFC: Make Cargo respect minimum supported Rust version (MSRV)](https://github.com/rust-lang/rfcs/pull/3537)
  - [Testing Steps](https://github.com/rust-lang/cargo/issues/13873)

### [Rust](https://github.com/rust-lang/rust/labels/call-for-testing)
* *No calls for testing were issued this week.*

##### [Rustup](https://github.com/rust-lang/rustup/labels/call-for-testing)
* [Rustup 1.29.0 beta: Call for Testing!](https://blog.rust-lang.org/inside-rust/2025/12/20/rustup-1.29.0-beta-cft/)
`;
    expect(extractCallsForTesting(ctxOf(md)).map((c) => [c.group, c.title])).toEqual([
      ['RFCs', 'RFC: Make Cargo respect minimum supported Rust version (MSRV)'],
      ['Rustup', 'Rustup 1.29.0 beta: Call for Testing!'],
    ]);
  });

  it('takes a 2025-10 bare link paragraph above a list as its group and skips the "No calls … by [Rust](…)" roll-up', () => {
    const md = `## Calls for Testing

[Cargo](https://github.com/rust-lang/cargo/labels/call-for-testing)
* [Tracking Issue for cargo-script RFC 3424](https://github.com/rust-lang/cargo/issues/12207)
  * [Testing Steps](https://github.com/rust-lang/cargo/issues/12207#issuecomment-3412997290)

* *No calls for testing were issued this week by
  [Rust](https://github.com/rust-lang/rust/labels/call-for-testing) or
  [Rustup](https://github.com/rust-lang/rustup/labels/call-for-testing).*

[Let us know](https://github.com/rust-lang/this-week-in-rust/issues) if you would like your feature to be tracked.
`;
    expect(extractCallsForTesting(ctxOf(md, '2025-10-22'))).toEqual([
      { title: 'Tracking Issue for cargo-script RFC 3424', url: 'https://github.com/rust-lang/cargo/issues/12207', group: 'Cargo' },
    ]);
  });

  it('does not swallow the sections after a stray `# Calls for Testing` (2024-09-25)', () => {
    const md = `## Crate of the Week

# Calls for Testing

### [RFCs](https://github.com/rust-lang/rfcs/issues?q=label%3Acall-for-testing)
* *No calls for testing were issued this week.*

## Call for Participation; projects and speakers

### CFP - Projects
* [This Week in Rust - We are recruiting more editors!](https://docs.google.com/forms/d/e/x/viewform)

## Updates from the Rust Project
* [add arm64e-apple-tvos target](https://github.com/rust-lang/rust/pull/130614)
`;
    const ctx = ctxOf(md, '2024-09-25');
    expect(extractCallsForTesting(ctx)).toEqual([]);
    expect(extractCfpProjects(ctx)).toEqual([
      { project: 'This Week in Rust', title: 'We are recruiting more editors!', url: 'https://docs.google.com/forms/d/e/x/viewform' },
    ]);
  });
});

describe('extractCfpProjects', () => {
  it('reads 2016–2020 `project: task` items and drops difficulty tags', () => {
    const md = `# Call for Participation

Always wanted to contribute to open-source projects but didn't know where to start?

* [Easy] [Rust: JSON errors with suggestions are incomplete](https://github.com/rust-lang/rust/issues/30701).
* [less easy] [bindgen: Derive Hash when we can](https://github.com/rust-lang-nursery/rust-bindgen/issues/876).
* [Funding Redox OS development](https://www.patreon.com/redox_os).

If you are a Rust project owner and are looking for contributors, please submit tasks [here][guidelines].

[guidelines]: https://users.rust-lang.org/t/twir-call-for-participation/4821
`;
    expect(extractCfpProjects(ctxOf(md, '2016-03-07'))).toEqual([
      { project: 'Rust', title: 'JSON errors with suggestions are incomplete', url: 'https://github.com/rust-lang/rust/issues/30701' },
      { project: 'bindgen', title: 'Derive Hash when we can', url: 'https://github.com/rust-lang-nursery/rust-bindgen/issues/876' },
      { project: null, title: 'Funding Redox OS development', url: 'https://www.patreon.com/redox_os' },
    ]);
  });

  it('reads 2024+ `CFP - Projects` items, keeping brackets and later separators in the title', () => {
    const md = `## Call for Participation; projects and speakers

### CFP - Projects

<!-- CFPs go here, use this format: * [project name - title of issue](URL to issue) -->

* [wtx - [HTTP/2] Investigate requests latency](https://github.com/c410-f3r/wtx/issues/234)
* [Hyperswitch - [FEATURE]: Setup code coverage for local tests & CI](https://github.com/juspay/hyperswitch/issues/3280)

### CFP - Events

* [**RustWeek 2026**](https://sessionize.com/rustweek-2026/) | CFP closes 2025-12-31 | Utrecht, The Netherlands | 2026-05-19 - 2026-05-20
`;
    expect(extractCfpProjects(ctxOf(md))).toEqual([
      { project: 'wtx', title: '[HTTP/2] Investigate requests latency', url: 'https://github.com/c410-f3r/wtx/issues/234' },
      {
        project: 'Hyperswitch',
        title: '[FEATURE]: Setup code coverage for local tests & CI',
        url: 'https://github.com/juspay/hyperswitch/issues/3280',
      },
    ]);
  });

  it('reads each item once when `### CFP - Projects` sits under a plain `## Call for Participation`', () => {
    const md = `## Call for Participation

### CFP - Projects
* [rama - add full-stack rama benchmarks](https://github.com/plabayo/rama/issues/338)

### CFP - Events
* [**RustConf 2026**](https://sessionize.com/rustconf-2026/) | CFP closes 2026-02-16 | Montreal, Quebec, Canada | 2026-09-08 - 2026-09-10
`;
    expect(extractCfpProjects(ctxOf(md, '2025-01-08'))).toHaveLength(1);
  });

  it('reads a 2021 item written as a bare link paragraph but not intro prose', () => {
    const md = `## Call for Participation

Some of these tasks may also have mentors available, visit the task page for more information.

[starlight - Support for "unsafe" cases of \`finally\`](https://github.com/Starlight-JS/starlight/issues/7)

If you are a Rust project owner and are looking for contributors, please submit tasks [here][guidelines].

[guidelines]: https://users.rust-lang.org/t/twir-call-for-participation/4821
`;
    expect(extractCfpProjects(ctxOf(md, '2021-02-24'))).toEqual([
      { project: 'starlight', title: 'Support for "unsafe" cases of finally', url: 'https://github.com/Starlight-JS/starlight/issues/7' },
    ]);
  });

  it('yields nothing for placeholders', () => {
    const md = `## Call for Participation

<!-- CFPs go here, use this format: * [project name - title of issue](link to issue) -->
<!-- * [ - ]() -->
*No issues were proposed for CfP*.

* *No Calls for participation were submitted this week.*
`;
    expect(extractCfpProjects(ctxOf(md))).toEqual([]);
  });

  it.skipIf(!existsSync(seeds))('finds nothing in the template-only early draft of issue 572', () => {
    const file = '003_d4bedbdc5aaa2816.txt';
    const issue = parseIssue(readFileSync(new URL(file, seeds), 'utf8'), { file });
    expect([issue.callsForTesting, issue.cfpProjects, issue.cfpEvents]).toEqual([[], [], []]);
  });
});

describe('splitProject', () => {
  it('splits at the earliest dash or colon', () => {
    expect(splitProject('Hyperswitch (Hacktoberfest)- [Airwallex] Use connector_response_reference_id')).toEqual({
      project: 'Hyperswitch (Hacktoberfest)',
      title: '[Airwallex] Use connector_response_reference_id',
    });
    expect(splitProject('Rama — add Form support')).toEqual({ project: 'Rama', title: 'add Form support' });
    expect(splitProject('www.rust-lang.org: Frontend cleanup: Remove Skeleton')).toEqual({
      project: 'www.rust-lang.org',
      title: 'Frontend cleanup: Remove Skeleton',
    });
  });

  it('keeps titles whole when the part before the separator is not a project name', () => {
    for (const title of [
      'Get in the swing with the libz blitz contest: Win free tickets to RustFest Zürich',
      'Help wanted: Rust for embedded development',
      'Call for Papers: Rust LATAM Mexico 2020',
      'magic-wormhole/magic-wormhole.rs',
      'Help write the Embedded Rust Book - an official guide',
      'Feature: Doc template generator',
    ]) {
      expect(splitProject(title)).toEqual({ project: null, title });
    }
  });
});

describe('extractCfpEvents', () => {
  it('reads the 2024+ template and its real variants', () => {
    const md = `### CFP - Events

<!-- CFPs go here, use this format: * [**event name**](URL to CFP)| Date CFP closes in YYYY-MM-DD | city,state,country | Date of event in YYYY-MM-DD -->

* [**RustWeek 2026**](https://sessionize.com/rustweek-2026/)| CFP closes 2025-12-31 | Utrecht, The Netherlands | 2026-05-19 - 2026-05-20
* [RustFest Zürich 2024](https://rustfest.ch/cfp/) CFP closes 2024-03-31 | Zürich, Switzerland | Event date: 2024-06-19 - 2024-06-24
* [**Rustikon CFP**](https://sessionize.com/rustikon-2025) | [Event Page](https://www.rustikon.dev/) | Closes 2024-10-13 | Warsaw, PL | Event 2025-03-26
* [FOSDEM 2025 Rust devroom](https://fosdem.org/cfp) | Deadline: 1 December 2024 | Brussels, BE | 1 February 2025
* [**Rust Summit**](https://rustsummit.org/) | Rolling deadline | Belgrade, RS | Event on 2025-06-07
* [**Oxidize Conference](https://pretalx.com/oxidize-conference-2026-2025/cfp) | CFP open until 2026-03-23 | Berlin, Germany | 2026-09-14 - 2026-09-16
`;
    expect(extractCfpEvents(ctxOf(md, '2025-01-15'))).toEqual([
      {
        title: 'RustWeek 2026',
        url: 'https://sessionize.com/rustweek-2026/',
        closes: '2025-12-31',
        location: 'Utrecht, The Netherlands',
        eventDate: '2026-05-19',
        eventEndDate: '2026-05-20',
      },
      {
        title: 'RustFest Zürich 2024',
        url: 'https://rustfest.ch/cfp/',
        closes: '2024-03-31',
        location: 'Zürich, Switzerland',
        eventDate: '2024-06-19',
        eventEndDate: '2024-06-24',
      },
      {
        title: 'Rustikon CFP',
        url: 'https://sessionize.com/rustikon-2025',
        closes: '2024-10-13',
        location: 'Warsaw, PL',
        eventDate: '2025-03-26',
        eventEndDate: null,
      },
      {
        title: 'FOSDEM 2025 Rust devroom',
        url: 'https://fosdem.org/cfp',
        closes: '2024-12-01',
        location: 'Brussels, BE',
        eventDate: '2025-02-01',
        eventEndDate: null,
      },
      {
        title: 'Rust Summit',
        url: 'https://rustsummit.org/',
        closes: null,
        location: 'Belgrade, RS',
        eventDate: '2025-06-07',
        eventEndDate: null,
      },
      {
        title: 'Oxidize Conference',
        url: 'https://pretalx.com/oxidize-conference-2026-2025/cfp',
        closes: '2026-03-23',
        location: 'Berlin, Germany',
        eventDate: '2026-09-14',
        eventEndDate: '2026-09-16',
      },
    ]);
  });

  it('reads a 2025-05 event written without its bullet', () => {
    const md = `### CFP - Events

Are you a new or experienced speaker looking for a place to share something cool?

[EuroRust 2025](https://www.papercall.io/eurorust-2025)| CFP closes on 2025-06-02 | Paris, France | 2025-10-09
`;
    expect(extractCfpEvents(ctxOf(md, '2025-05-28'))).toEqual([
      {
        title: 'EuroRust 2025',
        url: 'https://www.papercall.io/eurorust-2025',
        closes: '2025-06-02',
        location: 'Paris, France',
        eventDate: '2025-10-09',
        eventEndDate: null,
      },
    ]);
  });

  it('yields nothing for 2023 `CFP - Speakers` placeholders and template comments', () => {
    const md = `### CFP - Speakers

<!-- or if none - *No Calls for papers or presentations were submitted this week.* -->
* _No new calls for speakers this week_
`;
    expect(extractCfpEvents(ctxOf(md, '2023-12-27'))).toEqual([]);
  });

  it('parses the date forms seen in the cells', () => {
    expect(firstDate('Closes 2025-03-15 at 7:59am UTC')).toBe('2025-03-15');
    expect(firstDate('Deadline: 30 November 2024')).toBe('2024-11-30');
    expect(firstDate('March 5, 2025')).toBe('2025-03-05');
    expect(firstDate('Rolling deadline')).toBeNull();
  });
});

describe('calls in issue 571 (2024-10-30)', () => {
  it.skipIf(!existsSync(archive))('has no calls for testing or events and one project task', () => {
    const file = '2024-10-30-this-week-in-rust.md';
    const issue = parseIssue(readFileSync(new URL(file, archive), 'utf8'), { file });
    expect(issue.callsForTesting).toEqual([]);
    expect(issue.cfpEvents).toEqual([]);
    expect(issue.cfpProjects).toEqual([
      { project: 'wtx', title: '[HTTP/2] Investigate requests latency', url: 'https://github.com/c410-f3r/wtx/issues/234' },
    ]);
  });
});
