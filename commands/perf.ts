import type { CommandDefinition } from '../src/core/commands/definition.js';
import { sectionAnswer } from '../src/core/commands/issue-section.js';
import type { PerfTriage } from '../src/core/issue/types.js';

/** `/twir perf` — the compiler performance triage. */
export const perf = {
  name: 'perf',
  description: 'Compiler performance triage: this week’s regressions and improvements',
  options: [],
  examples: ['perf'],
  run(ctx) {
    return sectionAnswer<PerfTriage>(ctx, {
      title: 'Rust Compiler Performance Triage',
      records: (issue) => (issue.perfTriage ? [issue.perfTriage] : []),
      group: (r) => (r.author ? `Triage by ${r.author}` : 'Triage'),
      item: (r) => ({ label: r.summary, ...(r.reportUrl ? { url: r.reportUrl, detail: 'Full report' } : {}) }),
      none: 'No performance triage',
      from: 'perfTriage',
    });
  },
} as const satisfies CommandDefinition;
