/**
 * Event lines the source mangled, one rule each, on small fixtures: a dated line
 * turned into a heading, a region heading at the wrong level, misspelt months,
 * years off the listed window, one event listed under two regions.
 */
import { describe, expect, it } from 'vitest';
import { createExtractContext } from '../../../../src/core/issue/context.js';
import { extractEvents } from '../../../../src/core/issue/sections/events.js';
import { nearestMonth } from '../../../../src/core/issue/sections/events-dates.js';

function read(markdown: string, date: string) {
  const ctx = createExtractContext(markdown, date);
  return { events: extractEvents(ctx), diagnostics: ctx.diagnostics };
}

describe('headings the source got wrong', () => {
  it('reads a dated line written as a `#` heading and every region after it (2025-07-23)', () => {
    const { events } = read(
      `## Upcoming Events

### Africa
# 2025-07-23 | Ikot Akpaden, Akwa Ibom State, NG | [Rust Nigeria](https://x.com/RustNigeria)
   * [**Rust Developers Training Program**](https://meetup.test/training)

### Europe
* 2025-07-24 | Edinburgh, UK | [Rust and Friends](https://www.meetup.com/rust-edi)
    * [**Rust and Friends (evening pub)**](https://www.meetup.com/rust-edi/events/1/)

## Jobs

* 2025-07-25 | Not, AN | [Event](https://meetup.test/not-an-event)
`,
      '2025-07-23',
    );
    expect(events.map((e) => [e.date, e.region, e.location, e.title])).toEqual([
      ['2025-07-23', 'Africa', 'Ikot Akpaden, Akwa Ibom State, NG', 'Rust Developers Training Program'],
      ['2025-07-24', 'Europe', 'Edinburgh, UK', 'Rust and Friends (evening pub)'],
    ]);
  });

  it('reads a region written as a top-level heading (`# Oceania`, 2024-07/08)', () => {
    const { events } = read(
      `## Upcoming Events

### North America
* 2024-08-08 | Mountain View, CA, US | [Mountain View Rust Meetup](https://www.meetup.com/mv-rust-meetup/)
    * [**Rust Meetup at Hacker Dojo**](https://www.meetup.com/mv-rust-meetup/events/1/)

# Oceania
* 2024-08-01 | Brisbane, QLD, AU | [Rust Brisbane](https://www.meetup.com/rust-brisbane/)
    * [**August Meetup**](https://www.meetup.com/rust-brisbane/events/2/)

If you are running a Rust event please add it to the calendar.

# Jobs
* 2024-08-02 | Nowhere | [Not an event](https://meetup.test/job)
`,
      '2024-07-17',
    );
    expect(events.map((e) => [e.region, e.title])).toEqual([
      ['North America', 'Rust Meetup at Hacker Dojo'],
      ['Oceania', 'August Meetup'],
    ]);
  });
});

describe('misspelt months (2016–19 layout)', () => {
  it('reads `Dex  6.` and `Oc 11.` by edit distance, with a note', () => {
    const { events, diagnostics } = read(
      `# Upcoming Events

* [Dex  6. Rust Berlin - Hack and Learn](https://meetup.test/a).
* [Oc 11. Rust Paris](https://meetup.test/b).
`,
      '2017-10-03',
    );
    expect(events.map((e) => e.date)).toEqual(['2017-12-06', '2017-10-11']);
    expect(diagnostics.filter((d) => d.message.includes('misspelt month'))).toHaveLength(2);
  });

  it('matches only when one month is that close', () => {
    expect(nearestMonth('dex')).toBe(12);
    expect(nearestMonth('oc')).toBe(10);
    expect(nearestMonth('ju')).toBeNull(); // June or July
    expect(nearestMonth('xyz')).toBeNull();
  });
});

describe('year typos', () => {
  it('moves a date a year off "Rusty Events between" into that window, with a warning', () => {
    const { events, diagnostics } = read(
      `## Upcoming Events

Rusty Events between 1/19/2022 - 2/16/2022 🦀

### Virtual
* 2021-01-27 | Virtual (Redmond, WA, US) | [Microsoft Reactor Redmond](https://meetup.test/g)
    * [**Crack code interview problems in Rust**](https://meetup.test/e1)
* 2022-02-01 | Virtual | [Rust Study](https://meetup.test/g2)
    * [**Kept as written**](https://meetup.test/e2)
`,
      '2022-01-19',
    );
    expect(events.map((e) => e.date)).toEqual(['2022-01-27', '2022-02-01']);
    expect(diagnostics.filter((d) => d.level === 'warn' && d.message.includes('read as 2022-01-27'))).toHaveLength(1);
  });
});

describe('one event under two regions', () => {
  it('is one hybrid event listed in both regions', () => {
    const { events } = read(
      `## Upcoming Events

### Virtual
* 2026-08-20 | Hybrid (Seattle, WA, US) | [Seattle Rust](https://meetup.test/sea)
    * [**Monthly Meetup**](https://meetup.test/sea/1)

### North America
* 2026-08-20 | Seattle, WA, US | [Seattle Rust](https://meetup.test/sea)
    * [**Monthly Meetup**](https://meetup.test/sea/1)
* 2026-08-21 | Austin, TX, US | [Rust ATX](https://meetup.test/atx)
    * [**Rust Lunch**](https://meetup.test/atx/1)
`,
      '2026-08-19',
    );
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      region: 'North America',
      regions: ['Virtual', 'North America'],
      location: 'Seattle, WA, US',
      hybrid: true,
    });
  });
});

describe('titles stay titles (2015–17)', () => {
  it('keeps a numeral after the dash as part of the title', () => {
    const { events } = read(
      `# Upcoming Events

* [Jun 16. RainOfRust Camp Nashik - III](https://reps.mozilla.org/e/rainofrust-camp-nashik-iii/).
`,
      '2017-06-13',
    );
    expect(events[0]).toMatchObject({ title: 'RainOfRust Camp Nashik - III', group: null });
  });
});
