import { noIssues } from '../src/core/commands/answers.js';
import type { CommandDefinition } from '../src/core/commands/definition.js';
import { buildDigest, digestReply } from '../src/digest/build-digest.js';
import { channelAccess } from '../src/digest/channel-access.js';
import { channelStatus, DEFAULT_SETTINGS, digestIssue, digestStoreOf, nowOf } from '../src/digest/digest-commands.js';
import { archiveEventsAt } from '../src/digest/place-filter.js';

/**
 * `/twir digest [preview|test]` — this channel's digest settings and last
 * deliveries; a private preview of the latest digest; or a test post here.
 */
export const digest = {
  name: 'digest',
  description: "This channel's digest: settings and deliveries, a private preview, or a test post",
  options: [
    {
      name: 'action',
      description: 'preview (only you see it) or test (post it here now; not a delivery)',
      type: 'string',
      positional: true,
      choices: ['status', 'preview', 'test'],
    },
  ],
  examples: ['digest', 'digest preview', 'digest test'],
  // Resolved for the whole command; only `test` (which posts in the channel) requires it.
  permission: 'manage-channel',
  writes: true,
  async run(ctx, args) {
    const action = String(args.action ?? 'status').toLowerCase();
    const store = digestStoreOf(ctx);
    if (action === 'preview') {
      const issue = await digestIssue(ctx.archive, store, ctx.asOf);
      if (!issue) return noIssues(ctx.archive, ctx.asOf);
      const access = channelAccess(ctx.caller, false);
      const settings = (access.ok ? (await store.subscription(access.channel))?.settings : undefined) ?? DEFAULT_SETTINGS;
      return digestReply(
        buildDigest(issue, settings, { asOf: ctx.asOf, eventsAt: archiveEventsAt(ctx.archive) }),
        access.ok ? 'Preview: only you see this. /twir digest test posts it in this channel.' : undefined,
      );
    }
    if (action === 'test') {
      const access = channelAccess(ctx.caller, true, true);
      if (!access.ok) return access.reply;
      const issue = await digestIssue(ctx.archive, store, ctx.asOf);
      if (!issue || issue.number === null) return noIssues(ctx.archive, ctx.asOf);
      const settings = (await store.subscription(access.channel))?.settings ?? DEFAULT_SETTINGS;
      await store.requestTest(access.channel, settings, issue.number, access.caller.userId, nowOf(ctx));
      return {
        kind: 'answer',
        title: `A test digest of #${issue.number} is on its way to this channel.`,
        description:
          'It is marked as a test and does not count as a delivery. If it does not arrive within a minute, /twir digest shows why.',
        sections: [],
        citations: [],
        private: true,
      };
    }
    const access = channelAccess(ctx.caller, false);
    if (!access.ok) return access.reply;
    return await channelStatus(store, access.channel);
  },
} as const satisfies CommandDefinition;
