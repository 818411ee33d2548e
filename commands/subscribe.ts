import type { CommandDefinition } from '../src/core/commands/definition.js';
import { usageError } from '../src/core/reply/reply.js';
import { channelAccess } from '../src/digest/channel-access.js';
import { digestStoreOf, nowOf, settingsItems } from '../src/digest/digest-commands.js';
import { dueAt } from '../src/digest/schedule.js';
import { DIGEST_SECTIONS, describeWhen, parsePingRole, parseSections, parseWhen } from '../src/digest/settings.js';

/** `/twir subscribe [sections] [place] [when]` — this channel gets a digest of every new issue. */
export const subscribe = {
  name: 'subscribe',
  description: 'Post a digest of every new issue in this channel (Manage Channels / workspace admins)',
  options: [
    {
      name: 'sections',
      description: `Comma-separated: ${DIGEST_SECTIONS.join(', ')}, or all`,
      type: 'string',
      maxLength: 200,
    },
    {
      name: 'place',
      description: 'Keep only events there: city, country, region or "virtual"',
      type: 'string',
      autocomplete: 'places',
      maxLength: 100,
    },
    {
      name: 'ping',
      description: 'Discord: mention this role with each digest (only this role; never @everyone)',
      type: 'role',
      maxLength: 40,
    },
    {
      name: 'publish',
      description: 'Discord announcement channel: publish each digest to the servers following it',
      type: 'string',
      choices: ['on', 'off'],
    },
    // Positional and rest: in text (Slack, console) the schedule is simply the remaining words.
    {
      name: 'when',
      description: '"new" (default) or a weekly slot such as "mon 09:00 Europe/Berlin"',
      type: 'string',
      positional: true,
      rest: true,
      maxLength: 80,
    },
  ],
  examples: [
    'subscribe',
    'subscribe sections:crate,quote,events place:berlin',
    'subscribe mon 09:00 Europe/Berlin',
    'subscribe ping:@rust-news publish:on',
  ],
  permission: 'manage-channel',
  writes: true,
  async run(ctx, args) {
    const access = channelAccess(ctx.caller, true, true);
    if (!access.ok) return access.reply;
    const sections = parseSections(args.sections as string | undefined);
    if (!sections.ok) return usageError(sections.error, 'Example: /twir subscribe sections:crate,events place:berlin');
    const when = parseWhen(args.when as string | undefined);
    if (!when.ok) return usageError(when.error);
    const place = String(args.place ?? '').trim() || null;
    const pingText = args.ping === undefined ? undefined : String(args.ping);
    const publish = args.publish === 'on';
    if ((pingText || publish) && access.channel.platform !== 'discord')
      return usageError('ping: and publish: are for Discord channels.', 'On Slack, subscribe without them.');
    const ping = parsePingRole(pingText, access.channel.workspaceId);
    if (!ping.ok) return usageError(ping.error, 'Example: /twir subscribe ping:@rust-news');
    if (publish && access.caller.announcementChannel !== true)
      return usageError('publish:on works only in an announcement channel.', 'Run it there, or subscribe without publish.');
    const store = digestStoreOf(ctx);
    // The newest issue right now counts as delivered: subscribing never floods the channel with the archive.
    const since = (await store.highestAnnounced()) ?? ctx.archive.latest(ctx.asOf)?.number ?? null;
    const settings = {
      sections: sections.value,
      place,
      when: when.value,
      ...(ping.value ? { pingRole: ping.value } : {}),
      ...(publish ? { publish: true } : {}),
    };
    const { subscription, created, resumed } = await store.subscribe(access.channel, settings, since, access.caller.userId, nowOf(ctx), {
      workspace: access.caller.workspaceName ?? null,
      channel: access.caller.channelName ?? null,
    });
    // A changed schedule applies to an issue still waiting for its slot too.
    if (!created) await store.reschedule(subscription.id, (announcedAt) => dueAt(settings.when, announcedAt));
    const title = created
      ? 'Subscribed: this channel gets the This Week in Rust digest.'
      : resumed
        ? 'Resumed: the digest of this channel is running again.'
        : 'Updated the digest settings of this channel.';
    const next = subscription.sinceNumber === null ? 'the next issue published' : `the next issue after #${subscription.sinceNumber}`;
    return {
      kind: 'answer',
      title,
      description: `It will post ${next}, ${describeWhen(settings.when)}. /twir digest preview shows what it looks like; /twir digest test posts one here now.`,
      sections: [{ label: 'Settings', items: settingsItems(settings) }],
      citations: [],
    };
  },
} as const satisfies CommandDefinition;
