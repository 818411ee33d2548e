import { noIssues } from '../src/core/commands/answers.js';
import type { CommandDefinition } from '../src/core/commands/definition.js';
import { issueOverview } from '../src/core/commands/issue-overview.js';

/** `/twir latest` — the newest issue at a glance. */
export const latest = {
  name: 'latest',
  description: 'The newest issue at a glance: crate and quote of the week, counts, top links',
  options: [],
  examples: ['latest'],
  run(ctx) {
    const ref = ctx.archive.latest(ctx.asOf);
    return ref ? issueOverview(ctx.archive, ctx.asOf, ref) : noIssues(ctx.archive, ctx.asOf);
  },
} as const satisfies CommandDefinition;
