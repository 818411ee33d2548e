import { answer, issueLabel, noteIndexing, nothing } from '../src/core/commands/answers.js';
import type { CommandDefinition } from '../src/core/commands/definition.js';
import { quoteItems, quotePartItems } from '../src/core/commands/issue-overview.js';
import { sectionAnswer } from '../src/core/commands/issue-section.js';
import { quotesBy } from '../src/core/commands/quotes-by.js';
import { paginate, type ReplyItem } from '../src/core/reply/reply.js';

const PER_PAGE = 10;

/** `/twir quote [person]` — the quote of the week, or the weeks a person was quoted. */
export const quote = {
  name: 'quote',
  description: 'The quote of the week, or every week a person was quoted',
  options: [
    {
      name: 'person',
      description: 'Who said it (a typo is forgiven in names of 5+ letters)',
      type: 'string',
      positional: true,
      rest: true,
      maxLength: 100,
    },
  ],
  examples: ['quote', 'quote Sean Baxter'],
  run(ctx, args) {
    const person = String(args.person ?? '').trim();
    if (!person) {
      return sectionAnswer<ReplyItem>(ctx, {
        title: 'Quote of the Week',
        // An exchange is one quote in several parts, each with its own speaker.
        records: quoteItems,
        group: () => 'Quote of the week',
        item: (part) => part,
        none: 'No quote of the week',
        from: 'quoteOfWeek',
      });
    }
    const { archive, asOf } = ctx;
    const hits = quotesBy(archive, asOf, person);
    if (hits.length === 0) {
      return noteIndexing(
        archive,
        nothing(archive, asOf, `Nobody called "${person.slice(0, 60)}" was quoted.`, 'Try the surname alone, or "quote" for this week’s.'),
      );
    }
    const { items, cursor } = paginate(hits, ctx.page, PER_PAGE);
    return noteIndexing(
      archive,
      answer(archive, asOf, {
        title: `Quotes of the week by "${person.slice(0, 60)}"`,
        description: `${hits.length} week${hits.length === 1 ? '' : 's'}, newest first.`,
        sections: items.map((h) => ({
          label: issueLabel(h.issue),
          items: quotePartItems(h.record),
        })),
        citations: items.map((h) => h.issue),
        page: cursor,
      }),
    );
  },
} as const satisfies CommandDefinition;
