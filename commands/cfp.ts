import type { CommandDefinition } from '../src/core/commands/definition.js';
import { sectionAnswer } from '../src/core/commands/issue-section.js';
import type { ReplyItem } from '../src/core/reply/reply.js';

type Call = { kind: 'Projects' | 'Speakers'; item: ReplyItem };

/** `/twir cfp` — contribution tasks and calls for speakers. */
export const cfp = {
  name: 'cfp',
  description: 'Call for participation: project tasks to pick up and events looking for speakers',
  options: [],
  examples: ['cfp'],
  run(ctx) {
    return sectionAnswer<Call>(ctx, {
      title: 'Call for Participation',
      records: (issue) => [
        ...issue.cfpProjects.map(
          (p): Call => ({ kind: 'Projects', item: { label: p.project ? `${p.project}: ${p.title}` : p.title, url: p.url } }),
        ),
        ...issue.cfpEvents.map(
          (e): Call => ({
            kind: 'Speakers',
            item: {
              label: e.title,
              url: e.url,
              detail: [
                e.closes ? `CFP closes ${e.closes}` : '',
                e.location ?? '',
                e.eventDate ? `event ${e.eventDate}${e.eventEndDate ? ` – ${e.eventEndDate}` : ''}` : '',
              ]
                .filter(Boolean)
                .join(' · '),
            },
          }),
        ),
      ],
      group: (r) => (r.kind === 'Projects' ? 'Project tasks' : 'Calls for speakers'),
      item: (r) => r.item,
      none: 'No calls for participation',
      from: 'latest',
    });
  },
} as const satisfies CommandDefinition;
