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
}

export function sectionAnswer<T>(ctx: CommandContext, spec: SectionSpec<T>, filterNote?: string): Reply {
  const { archive, asOf } = ctx;
  const latest = archive.latest(asOf);
  if (!latest) return noIssues(archive, asOf);
  const ref: IssueRef | undefined = spec.from === 'latest' ? latest : archive.newestWith(spec.from, asOf);
  const records = ref ? spec.records(archive.load(ref)) : [];
  if (!ref || records.length === 0) {
    return nothing(archive, asOf, `${spec.none}${filterNote ? ` ${filterNote}` : ''} in ${latest.title} (${latest.date}).`, undefined, [
      latest,
    ]);
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
