import type { Sourced } from '../src/core/archive/archive.js';
import { answer, issueLabel, noIssues, noteIndexing, nothing } from '../src/core/commands/answers.js';
import { type CrateMatch, crateMatcher } from '../src/core/commands/crate-match.js';
import type { CommandDefinition } from '../src/core/commands/definition.js';
import { crateItem } from '../src/core/commands/issue-overview.js';
import type { CrateOfWeek } from '../src/core/issue/types.js';
import { paginate } from '../src/core/reply/reply.js';

const PER_PAGE = 10;

/** `/twir crate [query]` — the latest crate(s) of the week, or past ones by name or description. */
export const crate = {
  name: 'crate',
  description: 'Crate of the week: the latest, or search past ones by name or description',
  options: [
    {
      name: 'query',
      description: 'Crate name or words from its description',
      type: 'string',
      positional: true,
      rest: true,
      autocomplete: 'crates',
      maxLength: 200,
    },
  ],
  examples: ['crate', 'crate bacon', 'crate http client'],
  run(ctx, args) {
    const { archive, asOf } = ctx;
    const query = String(args.query ?? '').trim();
    if (!query) {
      const latest = archive.latest(asOf);
      if (!latest) return noIssues(archive, asOf);
      const withCrate = archive.newestWith('cratesOfWeek', asOf);
      if (!withCrate) return nothing(archive, asOf, 'No crate of the week yet.', 'Crate of the week started in 2015.', [latest]);
      const crates = archive.load(withCrate).cratesOfWeek;
      const missing = withCrate.file !== latest.file;
      return answer(archive, asOf, {
        title: `${crates.length > 1 ? 'Crates' : 'Crate'} of the week: ${crates.map((c) => c.name).join(', ')}`,
        url: withCrate.url,
        description: missing
          ? `${latest.title} (${latest.date}) had no crate of the week; the most recent was in ${withCrate.title} (${withCrate.date}).`
          : `From ${withCrate.title} (${withCrate.date}).`,
        sections: [{ label: issueLabel(withCrate), items: crates.map(crateItem) }],
        citations: missing ? [withCrate, latest] : [withCrate],
      });
    }
    const matcher = crateMatcher(query.slice(0, 100));
    // Exact names first, then prefixes, names containing the query, misspelled names, then
    // description matches; within each tier the closest name (see CrateMatch.rank), then newest first.
    const hits = archive
      .memo('crates', () => archive.records<CrateOfWeek>('cratesOfWeek', '9999-12-31'))
      .filter((c) => c.issue.date <= asOf)
      .flatMap((c) => {
        const m = matcher.match(c.record.name, c.record.description);
        return m ? [{ ...c, ...m }] : [];
      })
      .sort((a, b) => a.tier - b.tier || a.rank - b.rank || b.issue.date.localeCompare(a.issue.date));
    if (hits.length === 0)
      return noteIndexing(
        archive,
        nothing(
          archive,
          asOf,
          `No crate of the week matches "${query.slice(0, 60)}".`,
          'Try a shorter name, or "crate" alone for the latest one.',
        ),
      );
    const { items, cursor } = paginate(hits, ctx.page, PER_PAGE);
    return noteIndexing(
      archive,
      answer(archive, asOf, {
        title: `Crates of the week matching "${query.slice(0, 60)}"`,
        sections: [{ label: `${hits.length} found`, items: items.map(sourcedCrate) }],
        citations: items.map((h) => h.issue),
        page: cursor,
      }),
    );
  },
} as const satisfies CommandDefinition;

function sourcedCrate(h: Sourced<CrateOfWeek> & CrateMatch) {
  const item = crateItem(h.record);
  return { ...item, detail: [item.detail, `${issueLabel(h.issue)} ${h.issue.url}`, h.why].filter(Boolean).join(' — ') };
}
