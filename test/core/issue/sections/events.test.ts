import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExtractContext, type ExtractContext } from '../../../../src/core/issue/context.js';
import { parseIssue } from '../../../../src/core/issue/parse-issue.js';
import { extractEvents, scanEvents } from '../../../../src/core/issue/sections/events.js';
import { inferYear } from '../../../../src/core/issue/sections/events-dates.js';
import type { RustEvent } from '../../../../src/core/issue/types.js';

const archive = new URL('../../../../../shared/twir-archive/', import.meta.url);

const context = (markdown: string, date: string): ExtractContext => createExtractContext(markdown, date);

function events(markdown: string, date: string): RustEvent[] {
  return extractEvents(context(markdown, date));
}

describe('extractEvents: 2015 layout', () => {
  const md = `# Upcoming Events

* [6/8. Seattle](https://www.eventbrite.com/e/seattle).
* [6/24. Columbus Rust Society](http://www.meetup.com/columbus-rs/)
* [6/29. Sydney](http://www.meetup.com/Rust-Sydney/events/222811456/)

If you are running a Rust event please add it to the [calendar] to get
it mentioned here.

[calendar]: https://www.google.com/calendar/embed
`;

  it('reads month/day dates and uses a bare place name as title and city', () => {
    const [seattle, columbus] = events(md, '2015-06-08');
    expect(seattle).toMatchObject({ date: '2015-06-08', title: 'Seattle', city: 'Seattle', location: 'Seattle', country: null });
    expect(seattle?.url).toBe('https://www.eventbrite.com/e/seattle');
    expect(columbus).toMatchObject({ date: '2015-06-24', title: 'Columbus Rust Society', city: null, region: null });
  });

  it('ignores the prose paragraph under the list', () => {
    expect(events(md, '2015-06-08')).toHaveLength(3);
  });
});

describe('extractEvents: 2014–15 early layouts', () => {
  it('reads "Upcoming Meetups" with ISO dates and with the date after the name', () => {
    const md = `## Upcoming Meetups

* [Rust Berlin Hack and Learn][rust-berlin]: December 9th
* [Rust Amsterdam][rust-amsterdam]: Early 2015
* [2014-12-18 Bay Area Rust - Crypto](http://www.meetup.com/Rust-Bay-Area/events/210632582/)

[rust-berlin]: http://www.meetup.com/Rust-Berlin/events/218914766/
[rust-amsterdam]: http://www.meetup.com/Rust-Amsterdam
`;
    const list = events(md, '2014-12-01');
    expect(list.map((e) => [e.date, e.group, e.title, e.url])).toEqual([
      ['2014-12-09', null, 'Rust Berlin Hack and Learn', 'http://www.meetup.com/Rust-Berlin/events/218914766/'],
      ['2014-12-18', 'Bay Area Rust', 'Crypto', 'http://www.meetup.com/Rust-Bay-Area/events/210632582/'],
    ]);
  });

  it('reads `Month day - Name` lines, also when written as a bare paragraph (2015-01)', () => {
    const md = `## Upcoming Events

[January 12 - Seattle Meetup][seattle].
[January 17 - Beijing Meetup][beijing]. Presentations about servo and
zmq.rs.

* [January 28 - Rust Amsterdam](http://www.meetup.com/Rust-Amsterdam/events/218908906/)

[seattle]: https://www.eventbrite.com/e/seattle
[beijing]: https://www.eventbrite.com/e/beijing
`;
    expect(events(md, '2015-01-12').map((e) => [e.date, e.title])).toEqual([
      ['2015-01-12', 'Seattle Meetup'],
      ['2015-01-17', 'Beijing Meetup'],
      ['2015-01-28', 'Rust Amsterdam'],
    ]);
  });
});

describe('extractEvents: 2016–20 layout', () => {
  it('splits `Mon day. Group - Title` and `City, CC - Group - Title` under region headings', () => {
    const md = `# Upcoming Events

* [Mar  9. San Diego Rust](https://www.meetup.com/San-Diego-Rust/events/1/).
* [Jun  7. Rust Atlanta - Grab a beer with fellow Rustaceans](https://www.meetup.com/Rust-ATL/events/2/).

### Europe

* [Jun 26. Berlin, DE - OpenTechSchool Berlin - Rust Hack and Learn](https://www.meetup.com/opentechschool-berlin/events/3/).
* [Jun 28-29. Firenze, IT - RustLab 2019](https://www.rustlab.it/).

### North America

* [Jun 13. San Diego, CA, US - San Diego Rust May Meetup](https://www.meetup.com/San-Diego-Rust/events/4/).
`;
    const [sd, atl, berlin, firenze, sdUs] = events(md, '2019-03-05');
    expect(sd).toMatchObject({ date: '2019-03-09', title: 'San Diego Rust', group: null, region: null });
    expect(atl).toMatchObject({ date: '2019-06-07', group: 'Rust Atlanta', title: 'Grab a beer with fellow Rustaceans' });
    expect(berlin).toMatchObject({
      region: 'Europe',
      location: 'Berlin, DE',
      city: 'Berlin',
      country: 'DE',
      group: 'OpenTechSchool Berlin',
      title: 'Rust Hack and Learn',
      virtual: false,
    });
    expect(firenze).toMatchObject({ date: '2019-06-28', endDate: '2019-06-29', city: 'Firenze', title: 'RustLab 2019' });
    expect(sdUs).toMatchObject({ region: 'North America', city: 'San Diego', country: 'US', title: 'San Diego Rust May Meetup' });
  });

  it('reads the 2020 `Remote` marker as virtual', () => {
    const md = `# Upcoming Events

### Africa
* [June 3. Johannesburg, ZA - Remote - Johannesburg Rust Meetup](https://www.meetup.com/Johannesburg-Rust-Meetup/events/270827463/)
`;
    const [jhb] = events(md, '2020-06-02');
    expect(jhb).toMatchObject({
      date: '2020-06-03',
      region: 'Africa',
      city: 'Johannesburg',
      country: 'ZA',
      virtual: true,
      hybrid: false,
      title: 'Johannesburg Rust Meetup',
    });
  });
});

describe('extractEvents: 2019–22 one-line layouts with a year', () => {
  it('reads `Month day, year, City, ST, CC - Title - Group`', () => {
    const md = `## Upcoming Events

### Online

* [June 8, 2021, Seattle, WA, US - Monthly meetup - Seattle Rust Meetup](https://www.meetup.com/Seattle-Rust-Meetup/events/1/)
* [May 3, 2021, Online - Cloud Native Rust Day](https://cloudnativerust.dev/)
`;
    const [seattle, online] = events(md, '2021-06-02');
    expect(seattle).toMatchObject({
      date: '2021-06-08',
      region: 'Online',
      location: 'Seattle, WA, US',
      city: 'Seattle',
      country: 'US',
      title: 'Monthly meetup',
      group: 'Seattle Rust Meetup',
      virtual: true,
    });
    expect(online).toMatchObject({ location: 'Online', city: null, country: null, title: 'Cloud Native Rust Day', virtual: true });
  });

  it('reads the 2021–22 pipe layout with a bold title that itself holds pipes', () => {
    const md = `## Upcoming Events

### North America

* [March 3, 2022 | Würzburg, DE | **Guest Speaker | Herbert Wolverson | Rust gamedev in 2022** | Rust Würzburg Meetup Group](https://www.meetup.com/rust-wurzburg/events/1)
`;
    const [e] = events(md, '2022-02-23');
    expect(e).toMatchObject({
      date: '2022-03-03',
      city: 'Würzburg',
      country: 'DE',
      title: 'Guest Speaker | Herbert Wolverson | Rust gamedev in 2022',
      group: 'Rust Würzburg Meetup Group',
    });
  });
});

describe('extractEvents: 2022+ two-line layout', () => {
  const md = `## Upcoming Events

Rusty Events between 2024-10-30 - 2024-11-27 🦀

### Virtual
* 2024-10-31 | Virtual (N&uuml;rnberg, DE) | [Rust Nurnberg DE](https://www.meetup.com/rust-noris/)
    * [**Rust Nürnberg online**](https://www.meetup.com/rust-noris/events/300820274/)
* 2024-11-02 | Virtual( Kampala, UG) | [Rust Circle Kampala](https://www.eventbrite.com/o/rust-circle-kampala)
    * [**Rust Circle Meetup**](https://www.eventbrite.com/e/rust-circle-meetup)
* 2024-11-07 | Virtual (Berlin, DE) | [OpenTechSchool Berlin](https://berline.rs/) + [Rust Berlin](https://www.meetup.com/rust-berlin/)
    * [**Rust Hack and Learn**](https://meet.jit.si/RustHackAndLearnBerlin) | [**Mirror: Rust Hack n Learn Meetup**](https://www.meetup.com/rust-berlin/events/298633272/)
* 2024-11-14 | Virtual and In-Person (Seattle, WA, US) | [Seattle Rust User Group](https://www.meetup.com/seattle-rust-user-group/)
    * [**November Meetup**](https://www.meetup.com/join-srug/events/304166747/)
* 2024-10-24 | Virtual | [Women in Rust](https://www.meetup.com/women-in-rust/)
    * [**Part 4 of 4 - Hackathon Showcase**](https://www.meetup.com/women-in-rust/events/303213835/)

### Europe
* 2024-10-31 | Berlin, DE | [OpenTechSchool Berlin](https://berline.rs/) + [Rust Berlin](https://www.meetup.com/rust-berlin/)
    * [**Rust and Tell - Title**](https://www.meetup.com/rust-berlin/events/300820289/)
* 2024-11-28 - 2024-11-29 |Hybrid (Vienna, AT)|[EuroRust](https://eurorust.eu/)
    * [**EuroRust 2024**](https://eurorust.eu/2024/)
`;

  it('decodes the location and splits it into city and country', () => {
    const nbg = events(md, '2024-10-30')[0];
    expect(nbg).toMatchObject({
      date: '2024-10-31',
      endDate: null,
      region: 'Virtual',
      location: 'Virtual (Nürnberg, DE)',
      city: 'Nürnberg',
      country: 'DE',
      virtual: true,
      hybrid: false,
      group: 'Rust Nurnberg DE',
      groupUrl: 'https://www.meetup.com/rust-noris/',
      title: 'Rust Nürnberg online',
      url: 'https://www.meetup.com/rust-noris/events/300820274/',
    });
    expect(JSON.stringify(nbg)).not.toMatch(/Ã|&uuml;/);
  });

  it('tolerates odd spacing in `Virtual( Kampala, UG)` and a plain `Virtual`', () => {
    const list = events(md, '2024-10-30');
    expect(list[1]).toMatchObject({ city: 'Kampala', country: 'UG', virtual: true });
    expect(list[4]).toMatchObject({ location: 'Virtual', city: null, country: null, virtual: true, group: 'Women in Rust' });
  });

  it('takes the first of several titles and keeps groups joined with +', () => {
    const berlin = events(md, '2024-10-30')[2];
    expect(berlin).toMatchObject({
      group: 'OpenTechSchool Berlin + Rust Berlin',
      groupUrl: 'https://berline.rs/',
      title: 'Rust Hack and Learn',
      url: 'https://meet.jit.si/RustHackAndLearnBerlin',
    });
  });

  it('marks hybrid events, which are also virtual', () => {
    const list = events(md, '2024-10-30');
    expect(list[3]).toMatchObject({ city: 'Seattle', country: 'US', hybrid: true, virtual: true });
    expect(list[6]).toMatchObject({ city: 'Vienna', country: 'AT', hybrid: true, virtual: true });
  });

  it('reads date ranges and pipes without spaces', () => {
    const euro = events(md, '2024-10-30')[6];
    expect(euro).toMatchObject({ date: '2024-11-28', endDate: '2024-11-29', region: 'Europe', group: 'EuroRust', title: 'EuroRust 2024' });
  });

  it('gives in-person events outside the Virtual region virtual = false', () => {
    const rat = events(md, '2024-10-30')[5];
    expect(rat).toMatchObject({ region: 'Europe', city: 'Berlin', country: 'DE', virtual: false, title: 'Rust and Tell - Title' });
  });

  it('makes one event per title line when a conference lists two tracks', () => {
    const tracks = `## Upcoming Events

### Europe
* 2022-09-27 | Nijmegen, NL | [Rust Nederland](https://rustnl.org/)
    * [**Regular track: Rust at RU**](https://rustnl.org/regular)
    * [**Student track: Rust at RU**](https://rustnl.org/student)
`;
    expect(events(tracks, '2022-09-14').map((e) => e.title)).toEqual(['Regular track: Rust at RU', 'Student track: Rust at RU']);
  });
});

describe('extractEvents: years and dates', () => {
  it('infers next year for January events in a December issue', () => {
    const md = `# Upcoming Events

* [Dec 30. Rust Paris](https://www.meetup.com/Rust-Paris/events/1/).
* [Jan  4. Seattle Rust Meetup](https://www.meetup.com/Seattle-Rust-Meetup/events/2/).
* [1/11. Rust Berlin](https://www.meetup.com/Rust-Berlin/events/3/).
`;
    expect(events(md, '2017-12-26').map((e) => e.date)).toEqual(['2017-12-30', '2018-01-04', '2018-01-11']);
  });

  it('infers last year for a December event in an early January issue', () => {
    expect(inferYear(12, 30, '2019-01-02')).toBe(2018);
    expect(inferYear(2, 29, '2019-12-20')).toBe(2020);
  });

  it('skips an impossible date with one diagnostic and keeps the rest', () => {
    const md = `# Upcoming Events

* [Feb 30. Rust Nowhere - Ghost Meetup](https://www.meetup.com/ghost/events/1/).
* [Feb 28. Rust Paris - Meetup](https://www.meetup.com/Rust-Paris/events/2/).
`;
    const ctx = context(md, '2018-02-20');
    const list = extractEvents(ctx);
    expect(list.map((e) => e.title)).toEqual(['Meetup']);
    const warnings = ctx.diagnostics.filter((d) => d.message.includes('Feb 30') || d.message.includes('no such date'));
    expect(warnings).toHaveLength(1);
  });

  it('moves a year typo into the window the issue lists, and reports it', () => {
    const md = `## Upcoming Events

### Virtual
* 2022-10-31 | Virtual (Nürnberg, DE) | [Rust Nuremberg](https://www.meetup.com/rust-noris/)
    * [**Rust Nürnberg online**](https://www.meetup.com/rust-noris/events/1/)
`;
    const ctx = context(md, '2024-10-16');
    expect(extractEvents(ctx)[0]?.date).toBe('2024-10-31');
    expect(
      ctx.diagnostics.some((d) => d.level === 'warn' && d.message.includes('2022-10-31') && d.message.includes('read as 2024-10-31')),
    ).toBe(true);
  });
});

describe('extractEvents: noise', () => {
  it('ignores placeholders, template comments and unlinked or undated lines', () => {
    const md = `## Upcoming Events

Rusty Events between 2024-10-30 - 2024-11-27 🦀

<!-- * 2024-11-01 | Virtual | [Template Group](https://example.com/) -->

### Virtual
* 2024-11-01 | Virtual | [INSERT_GROUP_HERE](INSERT_LINK_HERE)
    * [**INSERT_TITLE_HERE**](INSERT_LINK_HERE)
* *No events this week.*
* There will be a talk about Rust at a conference, somewhere.
* 9/2. Rust Berlin Hack & Learn.
* | | ]]((( [](
* 2024-11-0
* [Jan 99. ](
* 2024-02-30 | Nowhere, XX | [Ghost Group](https://ghost.dev/)
    * [**Ghost Meetup**](https://ghost.dev/events/1)
* 2024-11-05 | Virtual (Dallas, TX, US) | [Dallas Rust](https://www.meetup.com/dallasrust/)
    * [**Monthly Meetup: Topic TBD!**](https://www.meetup.com/dallasrust/events/1/)
`;
    const ctx = context(md, '2024-10-30');
    const { events: list, skipped } = scanEvents(ctx);
    expect(list.map((e) => e.title)).toEqual(['Monthly Meetup: Topic TBD!']);
    // Placeholders and comments are ignored silently; unreadable lines are reported as skipped.
    expect(skipped.some((s) => s.text.includes('INSERT'))).toBe(false);
    expect(new Set(skipped.map((s) => s.reason))).toEqual(new Set(['invalid date', 'no date', 'no link']));
  });

  it('never throws on garbage lines', () => {
    const junk = ['* [', '* 12/', '* Feb -', '* 2024-01-01 |', '* 2024-01-01 | | |', '* [**]()', '    * [**x**]()', '* Jun 31-99. - - -'];
    for (const line of junk) {
      expect(() => events(`## Upcoming Events\n\n### Virtual\n${line}\n`, '2024-06-01')).not.toThrow();
    }
  });

  it('does not read the "CFP - Events" section as events', () => {
    const md = `## Call for Participation

### CFP - Events

* [**RustConf 2025**](https://rustconf.com/cfp) | Closes 2025-03-01 | Seattle, WA, US | 2025-09-02
`;
    expect(events(md, '2025-02-01')).toEqual([]);
  });

  it('adopts a title line that lost its indent (2024-07)', () => {
    const md = `## Upcoming Events

### Virtual
* 2024-07-17| Virtual (Cardiff, UK)| [Rust and C++ Cardiff](https://www.meetup.com/rust-and-c-plus-plus-in-cardiff/)
* [**Rust for Rustaceans Book Club: Chapter 10**](https://www.meetup.com/rust-and-c-plus-plus-in-cardiff/events/1/)
* 2024-07-18 | Virtual (Berlin, DE) | [Rust Berlin](https://www.meetup.com/rust-berlin/)
    * [**Rust Hack and Learn**](https://www.meetup.com/rust-berlin/events/2/)
`;
    const list = events(md, '2024-07-17');
    expect(list.map((e) => [e.date, e.title])).toEqual([
      ['2024-07-17', 'Rust for Rustaceans Book Club: Chapter 10'],
      ['2024-07-18', 'Rust Hack and Learn'],
    ]);
  });
});

describe('extractEvents on the real archive', () => {
  it('reads every event of issue 571 (2024-10-30), including Rust and Tell in Berlin', () => {
    const file = '2024-10-30-this-week-in-rust.md';
    const issue = parseIssue(readFileSync(new URL(file, archive), 'utf8'), { file });
    const rat = issue.events.find((e) => e.date === '2024-10-31' && e.title === 'Rust and Tell - Title');
    expect(rat).toMatchObject({ city: 'Berlin', country: 'DE', region: 'Europe', virtual: false });
    // Counted by reading the file: Virtual 18, Europe 13, North America 13, Oceania 2.
    expect(issue.events).toHaveLength(46);
    expect(issue.events.filter((e) => e.region === 'Virtual')).toHaveLength(18);
    expect(issue.diagnostics.filter((d) => d.message.startsWith('events'))).toEqual([]);
  });
});
