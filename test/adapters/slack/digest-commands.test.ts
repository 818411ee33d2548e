/**
 * The digest commands end to end on Slack: `/twir …` text through the
 * adapter's answer path (users.info decides admin/owner, or everyone with
 * SLACK_SUBSCRIBE_ROLE=member), then a test post through the digest poster.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { commandList } from '../../../commands/index.js';
import { type AnswerDeps, answerText } from '../../../src/adapters/slack/answer.js';
import { slackCaller, type UsersInfoClient } from '../../../src/adapters/slack/caller.js';
import { createSlackDigestPoster } from '../../../src/adapters/slack/digest-poster.js';
import { Archive } from '../../../src/core/archive/archive.js';
import { type IssueStore, openStore } from '../../../src/core/store/store.js';
import { createSqliteDigestStore } from '../../../src/digest/digest-store.js';
import { deliverDue, memoryLog } from '../../support/digest-fixtures.js';
import { FakeSlack, slackOptions } from '../../support/fake-digest-platforms.js';

const users: UsersInfoClient = {
  users: { info: async ({ user }) => ({ user: { is_admin: user === 'UADMIN', is_owner: user === 'UOWNER' } }) },
};

describe('digest commands through the Slack adapter', () => {
  let dir: string;
  let store: IssueStore;
  let deps: AnswerDeps;
  const inChannel = (userId: string, channelId = 'C100') =>
    slackCaller({ teamId: 'T1', channelId, channelName: 'rust', userId, teamDomain: 'rust-lang' });
  const ask = (text: string, userId: string, channelId?: string, d: AnswerDeps = deps) =>
    answerText(d, users, text, inChannel(userId, channelId));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'twir-slack-digest-'));
    copyFileSync(inject('archiveDb'), join(dir, 'twir.db'));
    store = openStore({ path: join(dir, 'twir.db') });
    deps = {
      archive: new Archive(store.db),
      catalogue: commandList,
      log: memoryLog(),
      now: () => new Date('2024-10-31T09:00:00Z'),
      subscribeRole: 'admin',
    };
  });
  afterAll(async () => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a member who is not an admin or owner is refused privately; nothing changes', async () => {
    const { messages } = await ask('subscribe', 'UMEMBER');
    expect(messages[0]?.response_type).toBe('ephemeral');
    expect(JSON.stringify(messages)).toMatch(/workspace admin or owner/);
    expect(await createSqliteDigestStore(store.db).subscriptions()).toEqual([]);
  });

  it('an admin in a channel the app is not a member of is told privately to invite @app first', async () => {
    const notMember: UsersInfoClient = {
      ...users,
      conversations: { info: async ({ channel }) => ({ channel: { is_member: channel !== 'C404' } }) },
    };
    const { messages } = await answerText({ ...deps, botName: 'twir' }, notMember, 'subscribe', inChannel('UADMIN', 'C404'));
    expect(messages[0]?.response_type).toBe('ephemeral');
    expect(JSON.stringify(messages)).toMatch(/The app is not a member of this channel/);
    expect(JSON.stringify(messages)).toMatch(/Invite @twir first \(\/invite @twir in this channel\)/);
    expect(await createSqliteDigestStore(store.db).subscriptions()).toEqual([]);
  });

  it('ping: and publish: are refused on Slack (Discord-only options)', async () => {
    const { messages } = await ask('subscribe ping:300000000000000001', 'UADMIN');
    expect(messages[0]?.response_type).toBe('ephemeral');
    expect(JSON.stringify(messages)).toMatch(/ping: and publish: are for Discord channels/);
    expect(await createSqliteDigestStore(store.db).subscriptions()).toEqual([]);
  });

  it('a DM with the app is refused even for an admin', async () => {
    const dm = slackCaller({ teamId: 'T1', channelId: 'D1', channelName: 'directmessage', userId: 'UADMIN' });
    const { messages } = await answerText(deps, users, 'subscribe', dm);
    expect(messages[0]?.response_type).toBe('ephemeral');
    expect(await createSqliteDigestStore(store.db).subscriptions()).toEqual([]);
  });

  it('admins and owners subscribe (typed options and a trailing weekly slot); with role=member anyone may', async () => {
    const { messages } = await ask('subscribe sections:crate,quote place:virtual wed 18:30 America/New_York', 'UADMIN');
    expect(JSON.stringify(messages)).toMatch(/Subscribed/);
    await ask('subscribe', 'UOWNER', 'C200');
    await ask('subscribe', 'UMEMBER', 'C300', { ...deps, subscribeRole: 'member' });
    const subs = await createSqliteDigestStore(store.db).subscriptions();
    // The names Slack sent with the command are kept for the operator's screens.
    expect(subs[0]).toMatchObject({ workspaceName: 'rust-lang', channelName: 'rust' });
    expect(subs.map((s) => [s.workspaceId, s.channelId, s.createdBy])).toEqual([
      ['T1', 'C100', 'UADMIN'],
      ['T1', 'C200', 'UOWNER'],
      ['T1', 'C300', 'UMEMBER'],
    ]);
    expect(subs[0]?.settings).toEqual({
      sections: ['crate', 'quote'],
      place: 'virtual',
      when: { kind: 'weekly', day: 'wed', hour: 18, minute: 30, zone: 'America/New_York' },
    });
  });

  it('preview is ephemeral; test posts one marked message with metadata through chat.postMessage', async () => {
    const preview = await ask('digest preview', 'UMEMBER');
    expect(preview.messages[0]?.response_type).toBe('ephemeral');
    expect((await ask('digest test', 'UMEMBER')).messages[0]?.response_type).toBe('ephemeral'); // refused
    expect(JSON.stringify((await ask('digest test', 'UADMIN')).messages)).toMatch(/on its way/);
    const slack = await new FakeSlack().start();
    try {
      const digest = createSqliteDigestStore(store.db);
      const report = await deliverDue(digest, deps.archive, { slack: createSlackDigestPoster(slackOptions(slack.apiUrl)) });
      expect(report.sent).toBe(1);
      expect(slack.messages).toHaveLength(1);
      expect(slack.messages[0]).toMatchObject({ channel: 'C100', metadata: { event_type: 'twir_digest', event_payload: { test: true } } });
      expect(slack.messages[0]?.text).toMatch(/^\[test\]/);
      expect((await digest.counts()).sent).toBe(0);
    } finally {
      await slack.close();
    }
  });
});
