import type { CommandDefinition } from '../src/core/commands/definition.js';
import { sectionAnswer } from '../src/core/commands/issue-section.js';
import type { RfcItem } from '../src/core/issue/types.js';

type Tagged = RfcItem & { list: string };

/** `/twir rfcs` — RFCs approved this week, and new or updated ones. */
export const rfcs = {
  name: 'rfcs',
  description: 'RFCs approved this week, and new or updated RFCs',
  options: [],
  examples: ['rfcs'],
  run(ctx) {
    return sectionAnswer<Tagged>(ctx, {
      title: 'RFCs',
      records: (issue) => [
        ...issue.approvedRfcs.map((r) => ({ ...r, list: 'Approved' })),
        ...issue.newRfcs.map((r) => ({ ...r, list: 'New and updated' })),
      ],
      group: (r) => r.list,
      item: (r) => ({ label: r.title, url: r.url, ...(r.status ? { detail: r.status } : {}) }),
      none: 'No RFCs were approved, opened or updated',
      from: 'latest',
    });
  },
} as const satisfies CommandDefinition;
