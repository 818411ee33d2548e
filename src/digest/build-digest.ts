/**
 * The neutral digest value: one issue cut down to the sections a channel
 * asked for. Each adapter renders it (Discord embeds, Slack blocks) and owns
 * the platform limits; this module only chooses what is worth posting.
 */
import { crateItem, isCommunityLink, linkItem, quoteItems } from '../core/commands/issue-overview.js';
import type { Issue, LinkItem } from '../core/issue/types.js';
import { attribution, type Citation, type Reply, type ReplyItem } from '../core/reply/reply.js';
import { neutralizeMentions } from '../core/reply/safe-text.js';
import { uniqueBy } from '../core/unique-by.js';
import { upcomingEvents } from '../core/upcoming-events.js';
import { type EventsAt, eventsNamed } from './place-filter.js';
import type { DigestSectionKey, DigestSettings } from './settings.js';

export interface DigestSection {
  key: DigestSectionKey;
  label: string;
  items: ReplyItem[];
  /** Items left out for length; renderers say "and N more" and link the issue. */
  more: number;
}

/** What a channel is sent for one issue. All strings are plain text with mentions neutralized. */
export interface Digest {
  issue: Citation;
  title: string;
  url: string;
  /** One sentence under the title. */
  intro: string;
  sections: DigestSection[];
  /** "This Week in Rust 572 · 2024-11-06 · CC-BY-SA 4.0": the content's licence, always shown. */
  footer: string;
  /** Set when the subscription keeps only one place's events. */
  place: string | null;
  /** A `/twir digest test` post, marked as such so nobody mistakes it for this week's delivery. */
  test: boolean;
}

/** How many items each section shows at most (the rest is "and N more"). */
const LIMITS: Record<DigestSectionKey, number> = {
  headline: 3,
  crate: 3,
  // An exchange is several parts, each with its speaker.
  quote: 4,
  links: 5,
  events: 10,
  fcp: 8,
  rfcs: 8,
  cft: 6,
  cfp: 6,
  perf: 1,
};

const LABELS: Record<DigestSectionKey, string> = {
  headline: 'Headlines',
  crate: 'Crate of the week',
  quote: 'Quote of the week',
  links: 'From the community',
  events: 'Upcoming events',
  fcp: 'Final comment period',
  rfcs: 'RFCs',
  cft: 'Call for testing',
  cfp: 'Call for participation',
  perf: 'Compiler performance',
};

export interface BuildOptions {
  /** ISO date events are "upcoming" from (the delivery's day; never before the issue's date). */
  asOf: string;
  test?: boolean;
  /** How a place keeps events: pass `/twir events`' gazetteer matching (place-filter.ts); default: names only. */
  eventsAt?: EventsAt;
}

/** Builds the digest of `issue` for a subscription's settings. Pure; never throws on odd issues. */
export function buildDigest(issue: Issue, settings: DigestSettings, options: BuildOptions): Digest {
  const citation: Citation = { number: issue.number, date: issue.date, title: issue.title, url: issue.url };
  // ISO dates compare as text; a digest posted later than the issue shows what is still upcoming then.
  const asOf = options.asOf.localeCompare(issue.date) > 0 ? options.asOf : issue.date;
  const headlines = headlineLinks(issue);
  const eventsAt = options.eventsAt ?? eventsNamed;
  const sections = settings.sections.map((key) => section(key, sectionItems(key, issue, settings.place, asOf, headlines, eventsAt)));
  const counts = [
    issue.mergedPrCount !== null ? `${issue.mergedPrCount} pull requests merged` : null,
    `${issue.links.length} links`,
    `${upcomingEvents(issue.events, asOf).length} upcoming events`,
  ].filter(Boolean);
  const digest: Digest = {
    issue: citation,
    title: issue.title,
    url: issue.url,
    intro: `Published ${issue.date}: ${counts.join(', ')}. Read the whole issue on this-week-in-rust.org.`,
    sections: sections.map(emptyNote(settings.place)),
    footer: attribution([citation]),
    place: settings.place,
    test: options.test ?? false,
  };
  return clean(digest);
}

function section(key: DigestSectionKey, all: ReplyItem[]): DigestSection {
  const limit = LIMITS[key];
  return { key, label: LABELS[key], items: all.slice(0, limit), more: Math.max(0, all.length - limit) };
}

/** A section the issue has nothing for says so, rather than vanishing (the channel asked for it). */
function emptyNote(place: string | null): (s: DigestSection) => DigestSection {
  return (s) => {
    if (s.items.length > 0) return s;
    const label =
      s.key === 'events' && place
        ? `No upcoming events match "${place}" in this issue.`
        : `Nothing under ${s.label.toLowerCase()} this week.`;
    return { ...s, items: [{ label }] };
  };
}

function sectionItems(
  key: DigestSectionKey,
  issue: Issue,
  place: string | null,
  asOf: string,
  headlines: LinkItem[],
  eventsAt: EventsAt,
): ReplyItem[] {
  switch (key) {
    case 'headline':
      return headlines.map(linkItem);
    case 'crate':
      return issue.cratesOfWeek.map(crateItem);
    case 'quote':
      return quoteItems(issue);
    case 'links':
      // A bullet with several links is one item (its first link), as in the issue overview.
      return uniqueBy(
        issue.links.filter((l) => isCommunityLink(l) && !headlines.includes(l)),
        (l) => `${l.section.join('/')}\n${l.text}`,
      )
        .slice(0, 50)
        .map(linkItem);
    case 'events':
      return (place ? eventsAt(upcomingEvents(issue.events, asOf), place) : upcomingEvents(issue.events, asOf)).map((e) => ({
        label: e.title,
        url: e.url,
        detail: [
          e.endDate ? `${e.date} – ${e.endDate}` : e.date,
          e.location ?? ([e.city, e.country].filter(Boolean).join(', ') || e.region),
        ]
          .filter(Boolean)
          .join(' · '),
      }));
    case 'fcp':
      return issue.fcp.map((f) => ({
        label: f.title,
        url: f.url,
        detail: [f.group, f.disposition ?? 'disposition not specified'].join(' · '),
      }));
    case 'rfcs':
      return [
        ...issue.approvedRfcs.map((r) => ({ label: r.title, url: r.url, detail: 'approved' })),
        ...issue.newRfcs.map((r) => ({ label: r.title, url: r.url, detail: r.status ?? 'new or updated' })),
      ];
    case 'cft':
      return issue.callsForTesting.map((c) => ({ label: c.title, url: c.url, ...(c.group ? { detail: c.group } : {}) }));
    case 'cfp':
      return [
        ...issue.cfpProjects.map((p) => ({ label: p.project ? `${p.project}: ${p.title}` : p.title, url: p.url })),
        ...issue.cfpEvents.map((e) => ({
          label: e.title,
          url: e.url,
          detail: [e.closes ? `closes ${e.closes}` : '', e.location ?? ''].filter(Boolean).join(' · '),
        })),
      ];
    case 'perf': {
      const p = issue.perfTriage;
      if (!p) return [];
      return [
        {
          label: p.summary || 'Performance triage',
          ...(p.reportUrl ? { url: p.reportUrl } : {}),
          ...(p.author ? { detail: `by ${p.author}` } : {}),
        },
      ];
    }
  }
}

/** Official and Foundation news first; otherwise the first community link. */
function headlineLinks(issue: Issue): LinkItem[] {
  const official = uniqueBy(
    issue.links.filter((l) => l.section.some((s) => /^(official|foundation)$/i.test(s.trim()))),
    (l) => `${l.section.join('/')}\n${l.text}`,
  );
  if (official.length) return official.slice(0, LIMITS.headline);
  return issue.links.filter(isCommunityLink).slice(0, 1);
}

function clean(digest: Digest): Digest {
  const item = (i: ReplyItem): ReplyItem => ({
    label: neutralizeMentions(i.label),
    ...(i.url ? { url: neutralizeMentions(i.url) } : {}),
    ...(i.detail ? { detail: neutralizeMentions(i.detail) } : {}),
  });
  return {
    ...digest,
    title: neutralizeMentions(digest.title),
    place: digest.place === null ? null : neutralizeMentions(digest.place),
    sections: digest.sections.map((s) => ({ ...s, items: s.items.map(item) })),
  };
}

/** The digest as a neutral Reply (a preview shown only to the asker, or the console). */
export function digestReply(digest: Digest, hint?: string): Reply {
  return {
    kind: 'answer',
    title: digest.test ? `[test] ${digest.title}` : digest.title,
    url: digest.url,
    description: digest.intro,
    sections: digest.sections.map((s) => ({
      label: s.more ? `${s.label} (${s.more} more in the issue)` : s.label,
      items: s.items,
    })),
    footer: digest.footer,
    citations: [digest.issue],
    private: true,
    ...(hint ? { hint } : {}),
  };
}
