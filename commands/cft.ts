import type { CommandDefinition } from '../src/core/commands/definition.js';
import { sectionAnswer } from '../src/core/commands/issue-section.js';
import type { CallForTesting } from '../src/core/issue/types.js';

/** `/twir cft` — calls for testing. */
export const cft = {
  name: 'cft',
  description: 'Calls for testing: features that need people to try them before stabilization',
  options: [],
  examples: ['cft'],
  run(ctx) {
    return sectionAnswer<CallForTesting>(ctx, {
      title: 'Calls for Testing',
      records: (issue) => issue.callsForTesting,
      group: (r) => r.group ?? 'Calls for testing',
      item: (r) => ({ label: r.title, url: r.url }),
      none: 'No calls for testing were issued',
      from: 'latest',
    });
  },
} as const satisfies CommandDefinition;
