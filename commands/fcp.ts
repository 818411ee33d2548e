import Fuse from 'fuse.js';
import type { CommandDefinition } from '../src/core/commands/definition.js';
import { sectionAnswer } from '../src/core/commands/issue-section.js';
import type { FcpItem } from '../src/core/issue/types.js';

/** `/twir fcp [team or words]` — items in Final Comment Period in the newest issue. */
export const fcp = {
  name: 'fcp',
  description: 'Items in Final Comment Period this week, by team, with disposition',
  options: [
    {
      name: 'filter',
      description: 'Team (rust, cargo, lang…) or words from a title',
      type: 'string',
      positional: true,
      rest: true,
      autocomplete: 'fcp-groups',
      maxLength: 200,
    },
  ],
  examples: ['fcp', 'fcp cargo', 'fcp lang', 'fcp async'],
  run(ctx, args) {
    const filter = String(args.filter ?? '').trim();
    return sectionAnswer<FcpItem>(
      ctx,
      {
        title: 'Final Comment Period',
        records: (issue) => (filter ? filterFcp(issue.fcp, filter) : issue.fcp),
        group: (r) => r.group,
        item: (r) => ({ label: r.title, url: r.url, detail: `disposition: ${r.disposition ?? 'not specified'}` }),
        none: 'No items entered Final Comment Period',
        from: 'latest',
      },
      filter ? `matching "${filter.slice(0, 60)}"` : undefined,
    );
  },
} as const satisfies CommandDefinition;

/** Fuzzy filter over group and title; a group match ("cargo", "lang") keeps that whole group. */
function filterFcp(items: FcpItem[], filter: string): FcpItem[] {
  const groups = new Fuse([...new Set(items.map((i) => i.group))], { threshold: 0.3, ignoreLocation: true }).search(filter.slice(0, 100));
  if (groups.length > 0) {
    const best = new Set(groups.map((g) => g.item));
    return items.filter((i) => best.has(i.group));
  }
  // Titles containing every word first; only when none do, a fuzzy match (typos).
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const exact = items.filter((i) => words.every((w) => i.title.toLowerCase().includes(w)));
  if (exact.length > 0) return exact;
  return new Fuse(items, { keys: ['title'], threshold: 0.3, ignoreLocation: true }).search(filter.slice(0, 100)).map((r) => r.item);
}
