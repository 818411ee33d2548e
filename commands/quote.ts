import type { CommandDefinition } from '../src/core/commands/definition.js';
import { quoteItems } from '../src/core/commands/issue-overview.js';
import { sectionAnswer } from '../src/core/commands/issue-section.js';
import type { ReplyItem } from '../src/core/reply/reply.js';

/** `/twir quote` — the quote of the week. */
export const quote = {
  name: 'quote',
  description: 'The quote of the week',
  options: [],
  examples: ['quote'],
  run(ctx) {
    return sectionAnswer<ReplyItem>(ctx, {
      title: 'Quote of the Week',
      // An exchange is one quote in several parts, each with its own speaker.
      records: quoteItems,
      group: () => 'Quote of the week',
      item: (part) => part,
      none: 'No quote of the week',
      from: 'quoteOfWeek',
    });
  },
} as const satisfies CommandDefinition;
