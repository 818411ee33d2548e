import type { Archive, Sourced } from '../src/core/archive/archive.js';
import { answer, dropStaleWarning, issueLabel, noIssues, noteIndexing, nothing } from '../src/core/commands/answers.js';
import type { CommandArgs, CommandContext, CommandDefinition } from '../src/core/commands/definition.js';
import { quotePartItems, taggedTitle } from '../src/core/commands/issue-overview.js';
import { quotesBy } from '../src/core/commands/quotes-by.js';
import type { QuoteOfWeek } from '../src/core/issue/types.js';
import { pageCursor, type Reply, type ReplyItem } from '../src/core/reply/reply.js';
import type { SearchHit, SearchReason, SearchResult } from '../src/core/search/search-index.js';

const PER_PAGE = 10;
/** The year of the first issue (2013-06-07). */
const FIRST_YEAR = 2013;
/** Real sections to suggest when a section filter matches none (each matches stored section paths). */
const SECTION_EXAMPLES = ['observations', 'project updates', 'walkthroughs', 'research', 'newsletters', 'call for participation'];

/** `/twir search <query> [section] [year]` — the whole archive, typo-tolerant. */
export const search = {
  name: 'search',
  description: 'Search every issue ever published (typos forgiven); one result per link',
  options: [
    { name: 'query', description: 'Words to look for', type: 'string', required: true, positional: true, rest: true, maxLength: 300 },
    {
      name: 'section',
      description: 'Only this section, e.g. "observations", "project updates", "events"',
      type: 'string',
      autocomplete: 'sections',
      maxLength: 60,
    },
    { name: 'year', description: 'Only mentions from this year', type: 'integer' },
  ],
  examples: [
    'search async closures',
    'search tokio --year 2024',
    'search embedded --section walkthroughs',
    'search https://github.com/rust-lang/rust/pull/132706',
    'search rfc 3668',
  ],
  run(ctx, args) {
    const reply = searchArchive(ctx, args);
    // A past year is answered in full however old the newest issue is: no staleness warning, found or not.
    if (typeof args.year === 'number' && args.year < Number(ctx.asOf.slice(0, 4))) dropStaleWarning(reply);
    // Until the first sync has stored every issue, say how much of the archive this searched.
    return noteIndexing(ctx.archive, reply);
  },
} as const satisfies CommandDefinition;

/** The search answer itself (see `run`). */
function searchArchive(ctx: CommandContext, args: CommandArgs): Reply {
  const { archive, asOf } = ctx;
  const text = String(args.query ?? '').trim();
  if (!archive.latest(asOf)) return noIssues(archive, asOf);
  const section = typeof args.section === 'string' && args.section.trim() ? args.section.trim() : undefined;
  const year = typeof args.year === 'number' ? args.year : undefined;
  const lastYear = Number(asOf.slice(0, 4));
  if (year !== undefined && (year < FIRST_YEAR || year > lastYear)) {
    return nothing(
      archive,
      asOf,
      year < FIRST_YEAR
        ? `There are no issues from ${year}: This Week in Rust started in ${FIRST_YEAR}.`
        : `There are no issues from ${year}: answers are as of ${asOf}.`,
      `Try a year from ${FIRST_YEAR} to ${lastYear}.`,
    );
  }
  const query = (page: number): SearchResult =>
    archive.search({
      text,
      asOf,
      limit: PER_PAGE,
      offset: (page - 1) * PER_PAGE,
      ...(ctx.pin !== undefined ? { maxIssue: ctx.pin } : {}),
      ...(section ? { section } : {}),
      ...(year !== undefined ? { year } : {}),
    });
  let result = query(Math.max(1, Math.floor(ctx.page) || 1));
  const cursor = pageCursor(result.total, ctx.page, PER_PAGE);
  // Asked past the end: show the last page, as paginate does for other commands.
  if (result.hits.length === 0 && result.total > 0) result = query(cursor.page);
  const shown = result.corrected ?? text;
  if (result.lookup) return linkAnswer(archive, asOf, result, result.lookup.label, cursor);
  // A person's name also finds the weeks they were quoted (the quote is no link, so not in the index).
  const quoted =
    cursor.page === 1 && (!section || /quote/i.test(section)) ? quotesBy(archive, asOf, text, year).slice(0, QUOTES_SHOWN) : [];
  const quoteSection = quoted.length ? [{ label: 'Quote of the week', items: quoted.map((q) => quoteHit(q)) }] : [];
  if (result.hits.length === 0 && quoted.length === 0) return noHits(archive, asOf, { shown, section, year, reason: result.reason });
  const notes =
    result.hits.length === 0
      ? []
      : [
          ...(result.corrected ? [`Showing results for "${result.corrected}" (no match for "${text.slice(0, 60)}").`] : []),
          ...(result.partial ? ['No item has every word; these match the most of them.'] : []),
        ];
  return answer(archive, asOf, {
    title: `Search: ${(quoted.length && result.hits.length === 0 ? text : shown).slice(0, 80)}`,
    ...(notes.length ? { description: notes.join(' ') } : {}),
    sections: [
      ...quoteSection,
      ...(result.hits.length ? [{ label: `${result.total} result${result.total === 1 ? '' : 's'}`, items: result.hits.map(hitItem) }] : []),
    ],
    citations: [...quoted.map((q) => q.issue), ...result.hits.map((h) => ({ ...h.issue, file: '' }))],
    ...(result.hits.length ? { page: cursor } : {}),
  });
}

/** Weeks shown for a quoted person, at most (`quote <name>` lists them all). */
const QUOTES_SHOWN = 3;

function quoteHit(q: Sourced<QuoteOfWeek>): ReplyItem {
  const [first] = quotePartItems(q.record);
  const text = first?.label ?? q.record.text;
  const label = text.length > 200 ? `${text.slice(0, 199)}…` : text;
  return {
    label,
    ...(first?.url ? { url: first.url } : {}),
    detail: `${first?.detail ?? ''} — ${issueLabel(q.issue)}`.replace(/^ — /, ''),
  };
}

/** The answer to "was this link (pull request, RFC) in TWIR?": each matching link, when first and last linked, and where. */
function linkAnswer(archive: Archive, asOf: string, result: SearchResult, label: string, cursor: ReturnType<typeof pageCursor>): Reply {
  if (result.hits.length === 0)
    return nothing(
      archive,
      asOf,
      `No issue of This Week in Rust linked ${label.slice(0, 120)}.`,
      'Check the link, or search for its title in words.',
    );
  return answer(archive, asOf, {
    title: `In This Week in Rust: ${label.slice(0, 80)}`,
    sections: [{ label: `${result.total} link${result.total === 1 ? '' : 's'}`, items: result.hits.map(linkItem) }],
    citations: result.hits.map((h) => ({ ...h.issue, file: '' })),
    page: cursor,
  });
}

function linkItem(h: SearchHit): ReplyItem {
  const times = h.mentions === 1 ? 'once' : `in ${h.mentions} issues`;
  const when =
    h.firstSeen.date === h.issue.date
      ? issueLabel(h.issue)
      : `first ${issueLabel({ ...h.firstSeen, title: '' })}, last ${issueLabel(h.issue)}`;
  return { label: taggedTitle(h.title, h.tags), url: h.url, detail: `Linked ${times}: ${when} — ${h.section}` };
}

function hitItem(h: SearchHit): ReplyItem {
  const first = h.firstSeen.date !== h.issue.date ? `, first in ${issueLabel({ ...h.firstSeen, title: '' })}` : '';
  return { label: taggedTitle(h.title, h.tags), url: h.url, detail: `${h.section} — ${issueLabel(h.issue)}${first}` };
}

/** The empty reply, worded for why nothing was found (the engine's reason codes never reach the user). */
function noHits(
  archive: Archive,
  asOf: string,
  q: { shown: string; section: string | undefined; year: number | undefined; reason: SearchReason | undefined },
): Reply {
  const quoted = `"${q.shown.slice(0, 60)}"`;
  switch (q.reason) {
    case 'empty-query':
      return nothing(
        archive,
        asOf,
        `The query ${quoted} has no words to search for.`,
        'Search with letters or digits, e.g. "search async closures".',
      );
    case 'no-such-section':
      return nothing(
        archive,
        asOf,
        `No section of any issue is called "${(q.section ?? '').slice(0, 60)}".`,
        `Try a section such as ${SECTION_EXAMPLES.map((s) => `"${s}"`).join(', ')}, or leave the section out.`,
      );
    case 'invalid-year':
      return nothing(
        archive,
        asOf,
        `"${q.year}" is not a year I can search.`,
        `Give a year from ${FIRST_YEAR} on, e.g. "search tokio --year 2024".`,
      );
    case 'invalid-as-of':
      return nothing(archive, asOf, `"${asOf}" is not a date I can search as of.`, 'Give the date as year-month-day, e.g. 2024-10-30.');
    default:
      return nothing(
        archive,
        asOf,
        `Nothing in the archive matches ${quoted}${q.section ? ` in "${q.section.slice(0, 60)}"` : ''}${q.year ? ` in ${q.year}` : ''}.`,
        'Try fewer or different words, or check the spelling.',
      );
  }
}
