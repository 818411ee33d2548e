import { CHART_OPTION } from '../src/core/charts/command-chart.js';
import type { CommandDefinition } from '../src/core/commands/definition.js';
import { sectionAnswer } from '../src/core/commands/issue-section.js';
import type { PerfCounts, PerfTriage } from '../src/core/issue/types.js';

/** `/twir perf` — the compiler performance triage. */
export const perf = {
  name: 'perf',
  description: 'Compiler performance triage: this week’s regressions and improvements',
  // The chart itself is drawn by the adapters (see src/core/charts/command-chart.ts); the answer is the same either way.
  options: [CHART_OPTION],
  examples: ['perf'],
  run(ctx) {
    return sectionAnswer<PerfTriage>(ctx, {
      title: 'Rust Compiler Performance Triage',
      records: (issue) => (issue.perfTriage ? [issue.perfTriage] : []),
      group: (r) => (r.author ? `Triage by ${r.author}` : 'Triage'),
      item: (r) => {
        const detail = [counts(r.counts), r.reportUrl ? reportLabel(r.reportUrl) : ''].filter(Boolean).join(' · ');
        return { label: r.summary, ...(r.reportUrl ? { url: r.reportUrl } : {}), ...(detail ? { detail } : {}) };
      },
      none: 'No performance triage',
      from: 'perfTriage',
    });
  },
} as const satisfies CommandDefinition;

/** `0 regressions, 6 improvements, 7 mixed` (no mixed in 2020), or '' when the week gave no counts (or stored them with parser 1). */
function counts(c: PerfCounts | null | undefined): string {
  if (!c) return '';
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  const mixed = c.mixed === null ? '' : `, ${c.mixed} mixed`;
  return `${n(c.regressions, 'regression', 'regressions')}, ${n(c.improvements, 'improvement', 'improvements')}${mixed}`;
}

/** What the link is: the full triage report, or (2021–22 weeks without one) the comparison itself. */
function reportLabel(url: string): string {
  return /^https?:\/\/perf\.rust-lang\.org\//.test(url) ? 'compared on perf.rust-lang.org' : 'full report';
}
