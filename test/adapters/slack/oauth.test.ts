/**
 * Slack in many workspaces: the real Bolt App in OAuth mode on the shared
 * listener, against the loopback Slack holding two workspaces. Installs go
 * through GET /slack/install and /slack/oauth_redirect over real HTTP; each
 * workspace's commands, permission checks and digest posts must use that
 * workspace's token; `app_uninstalled` removes one and pauses its digests.
 * The tests wait for what happened, never for a number of seconds.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { configuredPosters, createDigestHost } from '../../../src/adapters/digest-host.js';
import type { RunningAdapter } from '../../../src/adapters/host.js';
import { createHttpListener, type HttpListener } from '../../../src/adapters/http-listener.js';
import { SLACK_BOT_SCOPES } from '../../../src/adapters/slack/manifest.js';
import { startSlack } from '../../../src/adapters/slack/start.js';
import { type Config, loadConfig } from '../../../src/config.js';
import { Archive } from '../../../src/core/archive/archive.js';
import { createSqliteInstallationStore } from '../../../src/core/store/slack-installations.js';
import { type IssueStore, openStore } from '../../../src/core/store/store.js';
import type { IssueSource } from '../../../src/core/sync/source.js';
import { sqliteSharedState } from '../../../src/shared-state/sqlite-shared-state.js';
import { sampleDigest } from '../../support/digest-fixtures.js';
import { eventCallback, FakeSlack, type FakeTeam, postSigned, postSignedJson, slashCommand } from '../../support/fake-slack.js';
import { memoryLogger, SIGNING_SECRET } from './harness.js';

const STATE_SECRET = 'a-state-secret-for-the-tests';
const PUBLIC_URL = 'https://twir.example.org';

/** The digest reads no markdown here (no sync runs): a source with nothing in it. */
const noSource: IssueSource = {
  description: 'none',
  list: async () => ({ notModified: false, files: [], complete: true, warnings: [] }),
  read: async () => new Uint8Array(),
} as unknown as IssueSource;

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
};

describe('Slack in many workspaces (OAuth, real Bolt on the shared listener, loopback Slack)', () => {
  let dir: string;
  let store: IssueStore;
  let slack: FakeSlack;
  let http: HttpListener;
  let adapter: RunningAdapter;
  let config: Config;
  let base: string;
  let teamA: FakeTeam;
  let teamB: FakeTeam;
  const log = memoryLogger();
  const installations = () => createSqliteInstallationStore(store.db);
  const digest = () => sqliteSharedState(store).digest;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'twir-slack-oauth-'));
    copyFileSync(inject('archiveDb'), join(dir, 'twir.db'));
    store = openStore({ path: join(dir, 'twir.db') });
    slack = await new FakeSlack().start();
    teamA = slack.addTeam('TA', 'Workspace A');
    teamB = slack.addTeam('TB', 'Workspace B');
    slack.users.set('UA', { is_admin: true });
    slack.users.set('UB', { is_owner: true });
    config = loadConfig({
      SLACK_CLIENT_ID: slack.clientId,
      SLACK_CLIENT_SECRET: slack.clientSecret,
      SLACK_STATE_SECRET: STATE_SECRET,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PUBLIC_URL,
      PORT: '0',
    });
    http = createHttpListener(log);
    const ctx = {
      config,
      store,
      shared: sqliteSharedState(store),
      archive: new Archive(store.db),
      log,
      now: () => new Date('2024-10-30T12:00:00Z'),
      http,
    };
    adapter = await startSlack(ctx);
    base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await http?.close();
    await adapter?.stop();
    await slack?.close();
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The browser's first step: our install path, which sends it to Slack with a state (and the state's cookie). */
  const startInstall = async () => {
    const res = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    return { location: res.headers.get('location') ?? '', cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
  };
  /** Slack sent the browser back to PUBLIC_URL/…; the proxy in front of us forwards it to the listener. */
  const followBack = (redirect: string, cookie: string) => {
    const back = new URL(redirect);
    expect(`${back.origin}${back.pathname}`).toBe(`${PUBLIC_URL}/slack/oauth_redirect`);
    return fetch(`${base}${back.pathname}${back.search}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  };
  const install = async (team: FakeTeam) => {
    const { location, cookie } = await startInstall();
    return followBack(slack.approve(location, team.id), cookie);
  };
  /** A signed /twir from a workspace; resolves with what was posted to its response_url. */
  const ask = async (text: string, team: FakeTeam, user: string, channel: string) => {
    const url = slack.responseUrl();
    const res = await postSigned(
      `${base}/slack/events`,
      slashCommand(text, url, {
        team_id: team.id,
        team_domain: team.id.toLowerCase(),
        user_id: user,
        channel_id: channel,
        channel_name: 'rust',
      }),
      SIGNING_SECRET,
    );
    expect(res.status).toBe(200);
    const id = url.split('/').at(-1);
    await until(() => slack.responses.some((r) => r.id === id));
    return slack.responses.filter((r) => r.id === id).map((r) => r.body);
  };
  /** Announces issue `number` to every Slack subscription (due now) and runs the digest host's fan-out. */
  const publish = async (number: number) => {
    const file = store.summaries().find((s) => s.number === number)?.file as string;
    const now = new Date();
    const subs = await digest().subscriptions();
    await digest().announce(
      { number, file },
      subs.map((s) => ({ subscriptionId: s.id, issueNumber: number, dueAt: now.toISOString() })),
      now,
    );
    const host = await createDigestHost({ config, store, shared: sqliteSharedState(store), source: noSource, log, now: () => new Date() });
    return host.deliverDue();
  };

  it('says it is in OAuth mode at start-up, with nothing installed yet', () => {
    expect(adapter.description).toMatch(/slack \(http POST \/slack\/events; OAuth: 0 workspace\(s\), install at GET \/slack\/install\)/);
  });

  it("answers the url_verification challenge Slack sends when the events' request URL is saved", async () => {
    const res = await postSignedJson(
      `${base}/slack/events`,
      { token: 'deprecated-verification-token', challenge: 'c-123', type: 'url_verification' },
      SIGNING_SECRET,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('c-123');
  });

  it("GET /slack/install redirects to Slack's authorize page with the scopes, the redirect URL and a state also set as a cookie", async () => {
    const { location, cookie } = await startInstall();
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(`${slack.apiUrl.replace(/\/api\/$/, '')}/oauth/v2/authorize`);
    expect(url.searchParams.get('client_id')).toBe(slack.clientId);
    expect(url.searchParams.get('scope')?.split(',')).toEqual(SLACK_BOT_SCOPES);
    expect(url.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/slack/oauth_redirect`);
    const state = url.searchParams.get('state');
    expect(state).toBeTruthy();
    expect(cookie).toBe(`slack-app-oauth-state=${state}`);
  });

  it('refuses a forged, missing or other-browser state with a plain failure page, storing nothing', async () => {
    const { location, cookie } = await startInstall();
    const redirect = slack.approve(location, teamA.id);
    const forged = new URL(redirect);
    forged.searchParams.set('state', 'forged');
    const missing = new URL(redirect);
    missing.searchParams.delete('state');
    for (const [url, withCookie] of [
      [forged.toString(), 'slack-app-oauth-state=forged'],
      [missing.toString(), cookie],
      [redirect, ''],
    ] as const) {
      const res = await followBack(url, withCookie);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
      const page = await res.text();
      expect(page).toMatch(/twir-bot was not installed/);
      expect(page).toMatch(/Start again from \/slack\/install/);
      expect(page).not.toMatch(/<script|@|TA\b/);
    }
    expect(await installations().list()).toEqual([]);
    expect(slack.calls.filter((c) => c.method === 'oauth.v2.access')).toEqual([]);
    // Anyone can send these: counted (the first at once, the rest in a summary a minute later), never an error line each.
    expect(log.lines.filter((l) => !l.startsWith('debug'))).toEqual([
      'warn slack /slack/oauth_redirect: refused 1 request (1 invalid state)',
    ]);
  });

  it('installs workspace A and then B: each stored with its own bot token, a plain success page', async () => {
    for (const team of [teamA, teamB]) {
      const res = await install(team);
      expect(res.status).toBe(200);
      const page = await res.text();
      expect(page).toMatch(/twir-bot is installed/);
      expect(page).not.toMatch(/<script|@/);
    }
    const stored = await installations().list();
    expect(stored.map((i) => [i.teamId, i.teamName, i.botToken, i.botUserId])).toEqual([
      ['TA', 'Workspace A', teamA.token, teamA.botUserId],
      ['TB', 'Workspace B', teamB.token, teamB.botUserId],
    ]);
    // The installation Bolt built is kept whole, to be handed back to Bolt.
    expect(JSON.parse(stored[0]?.installation ?? '{}')).toMatchObject({ team: { id: 'TA' }, bot: { token: teamA.token }, appId: 'A1' });
    expect(slack.calls.filter((c) => c.method === 'oauth.v2.access')).toHaveLength(2);
    expect(log.lines).toContain('info slack: installed in workspace TA');
  });

  it('answers /twir in both workspaces', async () => {
    for (const team of [teamA, teamB]) {
      const [answer] = await ask('crate', team, team === teamA ? 'UA' : 'UB', `C${team.id}`);
      expect(answer?.response_type).toBe('in_channel');
      expect(JSON.stringify(answer)).toMatch(/Crate of the Week/i);
    }
  });

  it("subscribes a channel in each workspace, checking the admin and the membership with that workspace's token", async () => {
    for (const [team, user] of [
      [teamA, 'UA'],
      [teamB, 'UB'],
    ] as const) {
      const messages = await ask('subscribe', team, user, `C${team.id}`);
      expect(JSON.stringify(messages)).toMatch(/Subscribed/);
      const checks = slack.calls.filter(
        (c) =>
          (c.method === 'users.info' && c.args.user === user) || (c.method === 'conversations.info' && c.args.channel === `C${team.id}`),
      );
      expect(checks.map((c) => c.method).sort()).toEqual(['conversations.info', 'users.info']);
      expect(checks.every((c) => c.token === team.token)).toBe(true);
    }
    expect((await digest().subscriptions()).map((s) => [s.workspaceId, s.channelId])).toEqual([
      ['TA', 'CTA'],
      ['TB', 'CTB'],
    ]);
  });

  it("delivers a published digest to each workspace's channel with that workspace's token", async () => {
    const report = await publish(572);
    expect(report?.sent).toBe(2);
    expect(slack.posted.map((p) => [p.channel, p.token])).toEqual([
      ['CTA', teamA.token],
      ['CTB', teamB.token],
    ]);
  });

  it("app_uninstalled for A removes A's installation and pauses A's subscriptions with the reason; B answers and delivers", async () => {
    const res = await postSignedJson(`${base}/slack/events`, eventCallback('TA', { type: 'app_uninstalled' }), SIGNING_SECRET);
    expect(res.status).toBe(200);
    slack.revoke('TA');
    await until(() => log.lines.some((l) => /app_uninstalled in workspace TA/.test(l)));
    expect(log.lines).toContain('info slack: app_uninstalled in workspace TA: installation removed, 1 digest subscription(s) paused');
    expect((await installations().list()).map((i) => i.teamId)).toEqual(['TB']);
    const [a, b] = await digest().subscriptions();
    expect(a?.pausedReason).toMatch(/uninstalled from this workspace; reinstall it .* and run \/twir subscribe here to resume/);
    expect(b?.pausedAt).toBeNull();

    // tokens_revoked arriving after it (Slack sends both, in any order) finds nothing left to do.
    await postSignedJson(
      `${base}/slack/events`,
      eventCallback('TA', { type: 'tokens_revoked', tokens: { bot: [teamA.botUserId] } }),
      SIGNING_SECRET,
    );
    await until(() => log.lines.some((l) => /tokens_revoked in workspace TA/.test(l)));
    expect(log.lines).toContain('info slack: tokens_revoked in workspace TA: installation already gone, 0 digest subscription(s) paused');

    const [answer] = await ask('crate', teamB, 'UB', 'CTB');
    expect(answer?.response_type).toBe('in_channel');
    const posted = slack.posted.length;
    const report = await publish(573);
    expect(report?.sent).toBe(1);
    expect(slack.posted.slice(posted).map((p) => [p.channel, p.token])).toEqual([['CTB', teamB.token]]);
  });

  it('commands from A after the uninstall are acknowledged, not answered, never a 500, and logged once', async () => {
    const before = log.lines.length;
    const urls = [slack.responseUrl(), slack.responseUrl()];
    for (const url of urls) {
      const form = slashCommand('crate', url, { team_id: 'TA', user_id: 'UA', channel_id: 'CTA' });
      expect((await postSigned(`${base}/slack/events`, form, SIGNING_SECRET)).status).toBe(200);
    }
    const logged = log.lines.slice(before).filter((l) => !l.startsWith('debug'));
    expect(logged).toEqual([expect.stringMatching(/^warn slack: requests refused: .*no Slack installation for workspace TA/)]);
    expect(slack.responses.some((r) => urls.includes(slack.responseUrl(r.id)))).toBe(false);
  });

  it('a digest for a workspace without an installation is a channel error (it pauses like a lost channel), not a crash', async () => {
    const { slack: poster } = await configuredPosters(config, log, createSqliteInstallationStore(store.db));
    const outcome = await poster?.post({
      channel: { platform: 'slack', workspaceId: 'TA', channelId: 'CTA' },
      digest: sampleDigest(),
      deliveryKey: 'k',
      inDoubtSince: null,
    });
    expect(outcome).toMatchObject({ kind: 'channel-error', reason: expect.stringMatching(/not installed in workspace TA/) });
  });

  it('reinstalling A and subscribing again resumes its channel', async () => {
    slack.teams.set('TA', teamA);
    expect((await install(teamA)).status).toBe(200);
    expect(JSON.stringify(await ask('subscribe', teamA, 'UA', 'CTA'))).toMatch(/Resumed: the digest of this channel is running again/);
    expect((await digest().subscriptions())[0]?.pausedAt).toBeNull();
  });

  it('tokens_revoked with only user tokens keeps the installation; with the bot token it goes like an uninstall', async () => {
    await postSignedJson(
      `${base}/slack/events`,
      eventCallback('TB', { type: 'tokens_revoked', tokens: { oauth: ['UB'] } }),
      SIGNING_SECRET,
    );
    await postSignedJson(
      `${base}/slack/events`,
      eventCallback('TB', { type: 'tokens_revoked', tokens: { bot: [teamB.botUserId] } }),
      SIGNING_SECRET,
    );
    await until(() => log.lines.some((l) => /tokens_revoked in workspace TB/.test(l)));
    expect(log.lines.filter((l) => /tokens_revoked in workspace TB/.test(l))).toEqual([
      'info slack: tokens_revoked in workspace TB: installation removed, 1 digest subscription(s) paused',
    ]);
    expect((await digest().subscriptions())[1]?.pausedReason).toMatch(/bot token was revoked/);
    expect((await installations().list()).map((i) => i.teamId)).toEqual(['TA']);
  });
});
