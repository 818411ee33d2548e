import type { CommandDefinition } from '../src/core/commands/definition.js';
import { filterFcp } from '../src/core/commands/fcp-filter.js';
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
      placeholder: 'team or words',
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
        // An unknown disposition is left out: "not specified" on every item is noise.
        item: (r) => ({ label: r.title, url: r.url, ...(r.disposition ? { detail: `disposition: ${r.disposition}` } : {}) }),
        none: 'No items entered Final Comment Period',
        from: 'latest',
        unfiltered: (issue) => issue.fcp,
      },
      filter ? `matching "${filter.slice(0, 60)}"` : undefined,
    );
  },
} as const satisfies CommandDefinition;
