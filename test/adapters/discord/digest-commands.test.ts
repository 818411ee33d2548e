/**
 * The digest commands end to end on Discord: interaction payloads through the
 * adapter's handler (which resolves Manage Channels from member.permissions),
 * then the fan-out posting through the digest poster to a loopback Discord.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { commandList } from '../../../commands/index.js';
import { INVITE_PERMISSIONS } from '../../../src/adapters/discord/bot-access.js';
import { buildTwirCommand } from '../../../src/adapters/discord/command-schema.js';
import { createDiscordDigestPoster } from '../../../src/adapters/discord/digest-poster.js';
import { handleInteraction, type InteractionDeps } from '../../../src/adapters/discord/handle-interaction.js';
import { Archive } from '../../../src/core/archive/archive.js';
import { type IssueStore, openStore } from '../../../src/core/store/store.js';
import { createSqliteDigestStore } from '../../../src/digest/digest-store.js';
import { deliverDue } from '../../support/digest-fixtures.js';
import { FakeDiscord } from '../../support/fake-digest-platforms.js';
import { GUILD_ID } from '../../support/fake-discord.js';
import { ASKER, CHANNEL, captureLog, memoryPages, slash } from './support.js';

const MANAGE_CHANNELS = String(1 << 4);
type Response = {
  type: number;
  data?: { flags?: number; embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[] };
};

describe('digest commands through the Discord adapter', () => {
  let dir: string;
  let store: IssueStore;
  let deps: InteractionDeps;
  const send = async (payload: unknown) =>
    (await handleInteraction(payload as Parameters<typeof handleInteraction>[0], deps)).response as Response;
  const asManager = (sub: string, options: Record<string, string> = {}) =>
    slash(sub, options, { member: { user: { id: ASKER, username: 'ferris' }, permissions: MANAGE_CHANNELS, roles: [] } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'twir-discord-digest-'));
    copyFileSync(inject('archiveDb'), join(dir, 'twir.db'));
    store = openStore({ path: join(dir, 'twir.db') });
    deps = {
      catalogue: commandList,
      archive: new Archive(store.db),
      pages: memoryPages(),
      now: () => new Date('2024-10-31T09:00:00Z'),
      log: captureLog().log,
    };
  });
  afterAll(async () => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a member without Manage Channels gets a private refusal and nothing changes', async () => {
    const r = await send(slash('subscribe'));
    expect(r.data?.flags).toBe(64);
    expect(JSON.stringify(r)).toMatch(/Only people who can manage this channel/);
    expect(await createSqliteDigestStore(store.db).subscriptions()).toEqual([]);
  });

  it('refuses privately, naming them, when the bot lacks View Channel, Send Messages or Embed Links in the channel', async () => {
    // app_permissions: View Channel + Read Message History only.
    const r = await send({
      ...asManager('subscribe'),
      application_id: '123456789012345678',
      app_permissions: String((1n << 10n) | (1n << 16n)),
      authorizing_integration_owners: { '0': '900000000000000001' },
    });
    expect(r.data?.flags).toBe(64);
    const text = JSON.stringify(r);
    expect(text).toMatch(/it lacks Send Messages, Embed Links\./);
    expect(text).not.toMatch(/Read Message History helps/);
    const noHistory = JSON.stringify(
      await send({
        ...asManager('subscribe'),
        app_permissions: String(1n << 10n),
        authorizing_integration_owners: { '0': '900000000000000001' },
      }),
    );
    expect(noHistory).toMatch(/Read Message History helps too: after a crash/);
    expect(await createSqliteDigestStore(store.db).subscriptions()).toEqual([]);
  });

  it('a command from a user install in a server without the bot user is refused with the invite link', async () => {
    const r = await send({
      ...asManager('subscribe'),
      application_id: '123456789012345678',
      app_permissions: '0',
      authorizing_integration_owners: { '1': ASKER },
    });
    expect(r.data?.flags).toBe(64);
    const text = JSON.stringify(r);
    expect(text).toMatch(/The twir bot is not in this server/);
    expect(text).toContain(
      `https://discord.com/oauth2/authorize?client_id=123456789012345678&scope=bot+applications.commands&permissions=${INVITE_PERMISSIONS}`,
    );
    expect(INVITE_PERMISSIONS).toBe(1024n + 2048n + 16384n + 65536n);
    expect(await createSqliteDigestStore(store.db).subscriptions()).toEqual([]);
  });

  it('ping:@role mentions exactly that role (never @everyone); publish:on only in an announcement channel', async () => {
    const role = '300000000000000001';
    const withRole = (options: Record<string, string>, extra: Record<string, unknown> = {}) =>
      slash('subscribe', options, {
        member: { user: { id: ASKER, username: 'ferris' }, permissions: MANAGE_CHANNELS, roles: [] },
        ...extra,
      });
    const everyone = JSON.stringify(await send(withRole({ ping: GUILD_ID })));
    // The reply itself breaks the mention (a zero-width space), like every reply.
    expect(everyone).toMatch(/ping: cannot be @\u200beveryone/);
    const notAnnouncement = JSON.stringify(await send(withRole({ ping: role, publish: 'on' })));
    expect(notAnnouncement).toMatch(/publish:on works only in an announcement channel/);
    expect(await createSqliteDigestStore(store.db).subscriptions()).toEqual([]);
    const announcement = { channel: { id: CHANNEL, type: 5 } };
    const r = await send(withRole({ ping: role, publish: 'on' }, announcement));
    const [sub] = await createSqliteDigestStore(store.db).subscriptions();
    expect(sub?.settings).toMatchObject({ pingRole: role, publish: true });
    expect(JSON.stringify(r)).toMatch(/the role 300000000000000001, and nothing else/);
    // Subscribing again without them drops both; then clean up for the tests below.
    await send(withRole({}));
    expect((await createSqliteDigestStore(store.db).subscriptions())[0]?.settings.pingRole).toBeUndefined();
    await send(asManager('unsubscribe'));
    expect(await createSqliteDigestStore(store.db).subscriptions()).toEqual([]);
  });

  it('subscribe and unsubscribe offer no as-of option; preview keeps it', async () => {
    const twir = buildTwirCommand(commandList);
    const opts = (name: string) =>
      (twir.options as { name: string; options?: { name: string }[] }[]).find((o) => o.name === name)?.options?.map((o) => o.name);
    expect(opts('subscribe')).not.toContain('as-of');
    expect(opts('unsubscribe') ?? []).not.toContain('as-of');
    expect(opts('digest')).toContain('as-of');
  });

  it('in a DM or a user-installed context subscribing is refused even for an administrator', async () => {
    const dm = { ...slash('subscribe'), guild_id: undefined, context: 1, member: undefined, user: { id: ASKER, username: 'ferris' } };
    const r = await send(dm);
    expect(r.data?.flags).toBe(64);
    expect(JSON.stringify(r)).toMatch(/not in a direct message/);
    expect(await createSqliteDigestStore(store.db).subscriptions()).toEqual([]);
  });

  it('Manage Channels subscribes the channel (guild + channel), preview is ephemeral, test posts one marked message', async () => {
    const r = await send(asManager('subscribe', { sections: 'crate,events', place: 'berlin', when: 'mon 09:00 Europe/Berlin' }));
    expect(JSON.stringify(r)).toMatch(/Subscribed/);
    const digest = createSqliteDigestStore(store.db);
    expect(await digest.subscriptions()).toMatchObject([
      { platform: 'discord', workspaceId: GUILD_ID, channelId: CHANNEL, createdBy: ASKER, createdAt: '2024-10-31T09:00:00.000Z' },
    ]);
    const preview = await send(slash('digest', { action: 'preview' }));
    expect(preview.data?.flags).toBe(64);
    const fields = preview.data?.embeds?.[0]?.fields ?? [];
    expect(fields.map((f) => f.name.replace(/ \(.*/, ''))).toEqual(['Crate of the week', 'Upcoming events']);

    expect((await send(slash('digest', { action: 'test' }))).data?.flags).toBe(64); // refused: no permission
    expect(JSON.stringify(await send(asManager('digest', { action: 'test' })))).toMatch(/on its way/);
    const discord = await new FakeDiscord().start();
    try {
      const report = await deliverDue(
        digest,
        deps.archive,
        { discord: createDiscordDigestPoster({ token: 'MTAw.fake.token', apiBase: discord.apiBase }) },
        deps.now,
      );
      expect(report.sent).toBe(1);
      expect(discord.messages).toHaveLength(1);
      expect(discord.messages[0]?.channelId).toBe(CHANNEL);
      expect(JSON.stringify(discord.messages[0]?.body.embeds)).toMatch(/\[test\]/);
      // The channel asked for Berlin: the posted events are Berlin's (as /twir events berlin), none elsewhere.
      const embed = discord.messages[0]?.body.embeds?.[0] as { fields: { name: string; value: string }[] };
      const events = embed.fields.find((f) => f.name.startsWith('Upcoming events'))?.value.split('\n') ?? [];
      expect(events.length).toBeGreaterThan(0);
      expect(events.filter((l) => l.startsWith('•')).every((l) => /Berlin/.test(l))).toBe(true);
      // A test post is not a delivery.
      expect((await digest.counts()).sent).toBe(0);
      expect(JSON.stringify(await send(slash('digest')))).toMatch(/Test post of #\d+.*sent/);
    } finally {
      await discord.close();
    }
  });
});
