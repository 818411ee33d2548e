/**
 * The "issue at a glance" answer shared by `latest` and `issue`: number, date,
 * link, crate(s) and quote of the week, counts, and a few community links.
 */
import type { Archive, IssueRef } from '../archive/archive.js';
import type { Issue, LinkItem } from '../issue/types.js';
import type { Reply, ReplyItem } from '../reply/reply.js';
import { answer } from './answers.js';

const TOP_LINKS = 5;

export function issueOverview(archive: Archive, asOf: string, ref: IssueRef): Reply {
  const issue = archive.load(ref);
  const community = issue.links.filter(isCommunityLink).slice(0, TOP_LINKS);
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
      { label: 'Quote of the week', items: issue.quoteOfWeek ? [quoteItem(issue)] : [] },
      { label: 'From the community', items: community.map(linkItem) },
    ],
  });
}

/** News and project links (not PRs, events, RFCs or jobs), for the overview. */
function isCommunityLink(link: LinkItem): boolean {
  const top = (link.section[0] ?? '').toLowerCase();
  return /community|news|blog/.test(top) && !/event|job/.test(link.section.join(' ').toLowerCase());
}

export function crateItem(c: Issue['cratesOfWeek'][number]): ReplyItem {
  const detail = [c.description, c.suggestedBy ? `suggested by ${c.suggestedBy}` : ''].filter(Boolean).join(' — ');
  return { label: c.name, ...(c.url ? { url: c.url } : {}), ...(detail ? { detail } : {}) };
}

export function quoteItem(issue: Issue): ReplyItem {
  const q = issue.quoteOfWeek;
  if (!q) return { label: '' };
  const detail = [q.attribution ? `— ${q.attribution}` : '', q.suggestedBy ? `(suggested by ${q.suggestedBy})` : '']
    .filter(Boolean)
    .join(' ');
  return { label: q.text, ...(q.url ? { url: q.url } : {}), ...(detail ? { detail } : {}) };
}

export function linkItem(l: LinkItem): ReplyItem {
  return { label: l.title, url: l.url, detail: l.section.at(-1) ?? '' };
}
