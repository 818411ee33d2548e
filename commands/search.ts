import { answer, issueLabel, noIssues, nothing } from '../src/core/commands/answers.js';
import type { CommandDefinition } from '../src/core/commands/definition.js';
import type { ReplyItem } from '../src/core/reply/reply.js';
import type { SearchHit } from '../src/core/search/search-index.js';

const PER_PAGE = 10;

/** `/twir search <query> [section] [year]` — the whole archive, typo-tolerant. */
export const search = {
  name: 'search',
  description: 'Search every issue ever published (typos forgiven); one result per link',
  options: [
    { name: 'query', description: 'Words to look for', type: 'string', required: true, positional: true, rest: true, maxLength: 300 },
    {
      name: 'section',
      description: 'Only this section, e.g. "observations", "project updates", "events"',
      type: 'string',
      autocomplete: 'sections',
      maxLength: 60,
    },
    { name: 'year', description: 'Only mentions from this year', type: 'integer' },
  ],
  examples: ['search async closures', 'search tokio --year 2024', 'search embedded --section walkthroughs'],
  run(ctx, args) {
    const { archive, asOf } = ctx;
    const text = String(args.query ?? '').trim();
    if (!archive.latest(asOf)) return noIssues(archive, asOf);
    const section = typeof args.section === 'string' && args.section.trim() ? args.section.trim() : undefined;
    const year = typeof args.year === 'number' ? args.year : undefined;
    const result = archive.search({
      text,
      asOf,
      limit: PER_PAGE,
      offset: (Math.max(1, ctx.page) - 1) * PER_PAGE,
      ...(section ? { section } : {}),
      ...(year !== undefined ? { year } : {}),
    });
    const shown = result.corrected ?? text;
    if (result.hits.length === 0) {
      return nothing(
        archive,
        asOf,
        `Nothing in the archive matches "${shown.slice(0, 60)}"${section ? ` in "${section}"` : ''}${year ? ` in ${year}` : ''}.`,
        result.reason ?? 'Try fewer or different words.',
      );
    }
    const pages = Math.max(1, Math.ceil(result.total / PER_PAGE));
    const page = Math.min(Math.max(1, ctx.page), pages);
    return answer(archive, asOf, {
      title: `Search: ${shown.slice(0, 80)}`,
      ...(result.corrected ? { description: `Showing results for "${result.corrected}" (no match for "${text.slice(0, 60)}").` } : {}),
      sections: [{ label: `${result.total} result${result.total === 1 ? '' : 's'}`, items: result.hits.map(hitItem) }],
      citations: result.hits.map((h) => ({ ...h.issue, file: '' })),
      page: { page, pages, total: result.total, next: page < pages ? page + 1 : null },
    });
  },
} as const satisfies CommandDefinition;

function hitItem(h: SearchHit): ReplyItem {
  const first = h.firstSeen.date !== h.issue.date ? `, first in ${issueLabel({ ...h.firstSeen, title: '' })}` : '';
  return { label: h.title, url: h.url, detail: `${h.section} — ${issueLabel(h.issue)}${first}` };
}
