import type { CommandDefinition } from '../src/core/commands/definition.js';
import { quoteItem } from '../src/core/commands/issue-overview.js';
import { sectionAnswer } from '../src/core/commands/issue-section.js';
import type { Issue } from '../src/core/issue/types.js';

/** `/twir quote` — the quote of the week. */
export const quote = {
  name: 'quote',
  description: 'The quote of the week',
  options: [],
  examples: ['quote'],
  run(ctx) {
    return sectionAnswer<Issue>(ctx, {
      title: 'Quote of the Week',
      records: (issue) => (issue.quoteOfWeek ? [issue] : []),
      group: () => 'Quote of the week',
      item: quoteItem,
      none: 'No quote of the week',
      from: 'quoteOfWeek',
    });
  },
} as const satisfies CommandDefinition;
