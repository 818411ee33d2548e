/**
 * The "issue at a glance" answer shared by `latest` and `issue`: number, date,
 * link, crate(s) and quote of the week, counts, and a few community links.
 */
import type { Archive, IssueRef } from '../archive/archive.js';
import type { Issue, LinkItem, QuoteOfWeek } from '../issue/types.js';
import type { Reply, ReplyItem } from '../reply/reply.js';
import { uniqueBy } from '../unique-by.js';
import { answer } from './answers.js';

const TOP_LINKS = 5;

export function issueOverview(archive: Archive, asOf: string, ref: IssueRef): Reply {
  const issue = archive.load(ref);
  // One link per bullet: a bullet's later links (its slides, a second PR) are for search, not the glance.
  const community = uniqueBy(issue.links.filter(isCommunityLink), (l) => `${l.section.join('/')}\n${l.text}`).slice(0, TOP_LINKS);
  const counts = [
    `${issue.links.length} links`,
    `${issue.events.length} events`,
    `${issue.fcp.length} FCP items`,
    issue.mergedPrCount !== null ? `${issue.mergedPrCount} PRs merged` : null,
  ].filter(Boolean);
  return answer(archive, asOf, {
    // Only the newest issue is an answer about now; an older one is what it was.
    historical: archive.latest(asOf)?.file !== ref.file,
    title: issue.title,
    url: issue.url,
    description: `Published ${issue.date}. ${counts.join(', ')}.`,
    citations: [ref],
    sections: [
      { label: issue.cratesOfWeek.length > 1 ? 'Crates of the week' : 'Crate of the week', items: issue.cratesOfWeek.map(crateItem) },
      { label: 'Quote of the week', items: quoteItems(issue) },
      { label: 'From the community', items: community.map(linkItem) },
    ],
  });
}

/** News and project links (not PRs, events, RFCs or jobs), for the overview. */
export function isCommunityLink(link: LinkItem): boolean {
  const top = (link.section[0] ?? '').toLowerCase();
  return /community|news|blog/.test(top) && !/event|job/.test(link.section.join(' ').toLowerCase());
}

export function crateItem(c: Issue['cratesOfWeek'][number]): ReplyItem {
  const detail = [c.description, c.suggestedBy ? `suggested by ${c.suggestedBy}` : ''].filter(Boolean).join(' — ');
  return { label: c.name, ...(c.url ? { url: c.url } : {}), ...(detail ? { detail } : {}) };
}

/**
 * The quote of the week as items, one per part of an exchange, each with its
 * speaker and link; who suggested it goes on the last. Empty without a quote.
 */
export function quoteItems(issue: Issue): ReplyItem[] {
  return quotePartItems(issue.quoteOfWeek);
}

/** One quote of the week as items, a part each (see {@link quoteItems}). */
export function quotePartItems(q: QuoteOfWeek | null): ReplyItem[] {
  if (!q) return [];
  // Issues stored by parser 1 have no parts: the quote is its one part.
  const parts = q.parts?.length ? q.parts : [q];
  return parts.map((p, i) => {
    const credit = i === parts.length - 1 && q.suggestedBy ? `(suggested by ${q.suggestedBy})` : '';
    const detail = [p.attribution ? `— ${p.attribution}` : '', credit].filter(Boolean).join(' ');
    return { label: p.text, ...(p.url ? { url: p.url } : {}), ...(detail ? { detail } : {}) };
  });
}

/** A link as an item; its tags lead the label as the newsletter writes them (`[video] Title`). */
export function linkItem(l: LinkItem): ReplyItem {
  return { label: taggedTitle(l.title, l.tags), url: l.url, detail: l.section.at(-1) ?? '' };
}

/** `[video] [series] Title`: tags such as video and audio say what a link is before it is opened. */
export function taggedTitle(title: string, tags: readonly string[]): string {
  return [...tags.map((t) => `[${t}]`), title].join(' ');
}
