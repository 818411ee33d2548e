import type { Archive } from '../src/core/archive/archive.js';
import { noIssues, noteIndexing, nothing, STILL_INDEXING_HINT } from '../src/core/commands/answers.js';
import type { CommandDefinition } from '../src/core/commands/definition.js';
import { issueOverview } from '../src/core/commands/issue-overview.js';
import { isIsoDate } from '../src/core/dates.js';
import { type Reply, usageError } from '../src/core/reply/reply.js';

/** `/twir issue <number | YYYY-MM-DD | latest>` — any issue at a glance. */
export const issue = {
  name: 'issue',
  description: 'Any issue at a glance, by number, by date (the issue out on or before it) or "latest"',
  options: [
    {
      name: 'which',
      description: 'An issue number, a date YYYY-MM-DD, or "latest"',
      type: 'string',
      required: true,
      positional: true,
      autocomplete: 'issues',
      maxLength: 20,
      placeholder: 'number | YYYY-MM-DD | latest',
    },
  ],
  examples: ['issue 571', 'issue 2024-10-30', 'issue latest'],
  run(ctx, args) {
    const which = String(args.which ?? '')
      .trim()
      .replace(/^#/, '');
    const { archive, asOf } = ctx;
    if (which === '' || which.toLowerCase() === 'latest') {
      const ref = archive.latest(asOf);
      return ref ? issueOverview(archive, asOf, ref) : noIssues(archive, asOf);
    }
    if (/^\d{1,5}$/.test(which)) {
      const ref = archive.byNumber(Number(which));
      // During the first sync an older issue may simply not be stored yet: never say it does not exist.
      // (A number above the newest stored one does not exist: the newest issues are stored first.)
      const below = Number(which) < (archive.latest('9999-12-31')?.number ?? 0);
      if (!ref && below && archive.indexing()) return noIssueYet(archive, asOf, `Issue #${which} is not indexed yet.`);
      if (!ref || ref.date > asOf) {
        const newest = archive.latest(asOf);
        return noteIndexing(
          archive,
          nothing(
            archive,
            asOf,
            `There is no issue #${which}${ref ? ` as of ${asOf}` : ''}.`,
            newest ? `The newest is #${newest.number} (${newest.date}).` : undefined,
          ),
        );
      }
      return issueOverview(archive, asOf, ref);
    }
    if (isIsoDate(which)) {
      const ref = archive.onOrBefore([which, asOf].sort()[0] as string);
      if (!ref && archive.indexing()) return noIssueYet(archive, asOf, `No issue from on or before ${which} is indexed yet.`);
      return ref
        ? issueOverview(archive, asOf, ref)
        : noteIndexing(
            archive,
            nothing(archive, asOf, `No issue was published on or before ${which}.`, 'The first issue is from 2013-06-07.'),
          );
    }
    return usageError(
      `"${which.slice(0, 40)}" is not an issue number, a date (YYYY-MM-DD) or "latest".`,
      'Try "issue 571" or "issue 2024-10-30".',
    );
  },
} as const satisfies CommandDefinition;

function noIssueYet(archive: Archive, asOf: string, title: string): Reply {
  return noteIndexing(archive, nothing(archive, asOf, title, STILL_INDEXING_HINT));
}
