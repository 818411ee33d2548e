import type { CommandDefinition } from '../src/core/commands/definition.js';
import { sectionAnswer } from '../src/core/commands/issue-section.js';
import type { JobItem } from '../src/core/issue/types.js';

/** `/twir jobs` — Rust jobs (since 2023 TWIR links the r/rust "Who's Hiring" thread). */
export const jobs = {
  name: 'jobs',
  description: 'Rust jobs from the newest issue (the r/rust Who’s Hiring thread in recent years)',
  options: [],
  examples: ['jobs'],
  run(ctx) {
    return sectionAnswer<JobItem>(ctx, {
      title: 'Rust Jobs',
      records: (issue) => issue.jobs,
      group: () => 'Jobs',
      item: (r) => ({ label: r.title, url: r.url }),
      none: 'No jobs listed',
      from: 'jobs',
    });
  },
} as const satisfies CommandDefinition;
