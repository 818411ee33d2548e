/**
 * The common shape of "what does the newest issue say about X" commands
 * (fcp, rfcs, cft, cfp, quote, perf, jobs): pick the issue, group its records,
 * page them, and say clearly when there is nothing.
 */
import type { Archive, IssueRef } from '../archive/archive.js';
import type { Issue } from '../issue/types.js';
import { paginate, type Reply, type ReplyItem, type ReplySection } from '../reply/reply.js';
import { answer, noIssues, nothing } from './answers.js';
import type { CommandContext } from './definition.js';

export interface SectionSpec<T> {
  /** e.g. "Final Comment Period" */
  title: string;
  /** Records of the issue, already filtered. */
  records: (issue: Issue) => T[];
  group: (record: T) => string;
  item: (record: T) => ReplyItem;
  /** Said when the issue has none, e.g. "No items entered Final Comment Period". */
  none: string;
  /**
   * 'latest': always the newest issue (an older week's FCP list would mislead);
   * a record kind: the newest issue that has such records, noting when that is not the newest.
   */
  from: 'latest' | Parameters<Archive['newestWith']>[0];
  perPage?: number;
  /** Every record before a filter: when the filter matches none, the hint names the groups there are. */
  unfiltered?: (issue: Issue) => T[];
}

export function sectionAnswer<T>(ctx: CommandContext, spec: SectionSpec<T>, filterNote?: string): Reply {
  const { archive, asOf } = ctx;
  const latest = archive.latest(asOf);
  if (!latest) return noIssues(archive, asOf);
  const ref: IssueRef | undefined = spec.from === 'latest' ? latest : archive.newestWith(spec.from, asOf);
  const records = ref ? spec.records(archive.load(ref)) : [];
  if (!ref || records.length === 0) {
    return nothing(
      archive,
      asOf,
      `${spec.none}${filterNote ? ` ${filterNote}` : ''} in ${latest.title} (${latest.date}).`,
      groupsHint(spec, ref && archive.load(ref)),
      [latest],
    );
  }
  const { items, cursor } = paginate(records, ctx.page, spec.perPage ?? 20);
  const sections: ReplySection[] = [];
  for (const r of items) {
    const label = spec.group(r);
    let section = sections.find((s) => s.label === label);
    if (!section) {
      section = { label, items: [] };
      sections.push(section);
    }
    section.items.push(spec.item(r));
  }
  const older = ref.file !== latest.file;
  return answer(archive, asOf, {
    title: `${spec.title} — ${ref.title}`,
    url: ref.url,
    description: older
      ? `${latest.title} (${latest.date}) had none; this is from ${ref.title} (${ref.date}).`
      : `${records.length} item${records.length === 1 ? '' : 's'}${filterNote ? ` ${filterNote}` : ''}, ${ref.date}.`,
    sections,
    citations: older ? [ref, latest] : [ref],
    page: cursor,
  });
}

/** "This issue has 6 items, under RFCs (1) and Tracking Issues & PRs (5)." when a filter hid them all. */
function groupsHint<T>(spec: SectionSpec<T>, issue: Issue | undefined): string | undefined {
  const all = issue && spec.unfiltered ? spec.unfiltered(issue) : [];
  if (all.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const r of all) counts.set(spec.group(r), (counts.get(spec.group(r)) ?? 0) + 1);
  const groups = [...counts].map(([g, n]) => `${g} (${n})`);
  const list = groups.length > 1 ? `${groups.slice(0, -1).join(', ')} and ${groups.at(-1)}` : groups[0];
  return `This issue has ${all.length} item${all.length === 1 ? '' : 's'}, under ${list}; without a filter you get them all.`;
}
