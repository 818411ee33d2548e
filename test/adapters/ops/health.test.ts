import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpListener } from '../../../src/adapters/http-listener.js';
import { pollIntervalMs, readinessProblems, registerHealthRoutes, STUCK_AFTER_MS } from '../../../src/adapters/ops/health.js';
import { recordFanOutEvent, recordInteraction } from '../../../src/adapters/ops/metrics.js';
import { loadConfig } from '../../../src/config.js';
import { openStore } from '../../../src/core/store/store.js';
import { createSqliteDigestStore } from '../../../src/digest/digest-store.js';
import { planDeliveries } from '../../../src/digest/plan.js';
import { DEFAULT_SECTIONS } from '../../../src/digest/settings.js';
import { memoryLog } from '../../support/digest-fixtures.js';
import { FakeSlack, slashCommand } from '../../support/fake-slack.js';
import { miniIssueFile, miniIssueMarkdown } from '../../support/issue-markdown.js';

const BIN = fileURLToPath(new URL('../../../bin/twir.js', import.meta.url));
const until = async (check: () => boolean | Promise<boolean>) => {
  while (!(await check())) await new Promise((r) => setTimeout(r, 50));
};

describe('readiness: what makes /readyz answer 503', () => {
  const now = new Date('2024-11-06T12:00:00Z');
  const setup = () => {
    const store = openStore({ path: ':memory:' });
    const digest = createSqliteDigestStore(store.db);
    return { store, digest };
  };

  it('reads the poll interval from TWIR_POLL_CRON', async () => {
    expect(pollIntervalMs('*/30 * * * *', now)).toBe(30 * 60_000);
    expect(pollIntervalMs('* * * * * *', now)).toBe(1000);
  });

  it('names a disconnected adapter, an old sync and a stuck delivery; nothing when all is well', async () => {
    const { store, digest } = setup();
    let up = true;
    const sources = {
      adapters: () => [{ description: 'slack (socket mode)', connected: () => up }, { description: 'discord (HTTP interactions)' }],
      store,
      digest,
      platforms: ['discord' as const],
      pollCron: '*/30 * * * *',
      startedAt: new Date(now.getTime() - 3 * 3_600_000),
      now: () => now,
    };
    store.setState('sync:last', new Date(now.getTime() - 10 * 60_000).toISOString());
    expect(await readinessProblems(sources)).toEqual([]);
    up = false;
    expect(await readinessProblems(sources)).toEqual(['slack (socket mode): disconnected']);
    up = true;
    store.setState('sync:last', new Date(now.getTime() - 61 * 60_000).toISOString());
    expect((await readinessProblems(sources))[0]).toMatch(/^last successful sync .* is older than twice the poll interval \(1800 s\)$/);
    store.setState('sync:last', now.toISOString());
    const channel = { platform: 'discord' as const, workspaceId: '900000000000000001', channelId: '100000000000000001' };
    await digest.subscribe(channel, { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' } }, 570, 'U1', now);
    const longAgo = new Date(now.getTime() - STUCK_AFTER_MS - 60_000);
    await digest.announce({ number: 571, file: '571.md' }, planDeliveries({ number: 571 }, await digest.subscriptions(), longAgo), longAgo);
    expect(await readinessProblems(sources)).toEqual(['1 digest deliveries due for over 10 minutes']);
    // Slack-only deliveries are not this Discord-only process's to be stuck on.
    expect(await readinessProblems({ ...sources, platforms: ['slack'] })).toEqual([]);
    store.close();
    expect((await readinessProblems(sources))[0]).toMatch(/^store unreadable/);
  });

  it('serves /readyz (503 with reasons, then 200) and /metrics in the Prometheus text format on HOST', async () => {
    const http = createHttpListener(memoryLog());
    let problems = ['slack (socket mode): disconnected'];
    registerHealthRoutes(http, () => problems);
    const port = await http.listen(0, loadConfig({ HOST: '127.0.0.1' }).host ?? undefined);
    try {
      const base = `http://127.0.0.1:${port}`;
      const down = await fetch(`${base}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ ready: false, reasons: ['slack (socket mode): disconnected'] });
      problems = [];
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      recordInteraction('discord', 'crate', 'answer', 0.012);
      recordFanOutEvent({ kind: 'post', platform: 'slack', outcome: 'rate-limited' });
      recordFanOutEvent({ kind: 'run', durationMs: 1500, sent: 3, failed: 0 });
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await metrics.text();
      expect(text).toContain('twir_interactions_total{platform="discord",command="crate",outcome="answer"} 1');
      expect(text).toMatch(/twir_answer_duration_seconds_bucket\{le="0.025",platform="discord"\} 1/);
      expect(text).toContain('twir_digest_posts_total{platform="slack",outcome="rate-limited"} 1');
      expect(text).toContain('twir_digest_fanout_duration_seconds_count 1');
      expect(text).toContain('# TYPE twir_last_sync_age_seconds gauge');
    } finally {
      await http.close();
    }
  });

  it('refuses a HOST that is no address, naming it', async () => {
    expect(() => loadConfig({ HOST: 'a b' })).toThrow(/^HOST: /);
    expect(loadConfig({}).host).toBeNull();
  });
});

describe('twir serve in Socket Mode with PORT set: /healthz, /readyz and /metrics beside the socket', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twir-health-'));
  let fake: FakeSlack;
  let child: ChildProcess | null = null;
  beforeAll(async () => {
    fake = await new FakeSlack().start();
    mkdirSync(join(dir, 'content'));
    const issue = { number: 571, date: '2024-10-30', crate: 'bacon' };
    writeFileSync(join(dir, 'content', miniIssueFile(issue)), miniIssueMarkdown(issue));
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('/readyz goes 503 while the socket is down and back to 200 once it reconnects; /metrics counts the command', async () => {
    let stderr = '';
    child = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        TWIR_DB: join(dir, 'twir.db'),
        TWIR_SOURCE: join(dir, 'content'),
        TWIR_PARSE_WORKERS: '0',
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_APP_TOKEN: fake.appToken,
        SLACK_API_URL: fake.apiUrl,
        PORT: '0',
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    await until(() => /Serving: slack \(socket mode/.test(stderr) && /Listening on port \d+ of 127\.0\.0\.1/.test(stderr));
    const base = `http://127.0.0.1:${/Listening on port (\d+)/.exec(stderr)?.[1]}`;
    const ready = async () => (await fetch(`${base}/readyz`)).status;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await until(async () => (await ready()) === 200);

    // Slack drops the socket and refuses to reconnect for a while.
    fake.down = true;
    fake.dropSockets();
    await until(async () => (await ready()) === 503);
    const body = (await (await fetch(`${base}/readyz`)).json()) as { reasons: string[] };
    expect(body.reasons).toEqual([expect.stringMatching(/^slack \(socket mode for Fake Team\): disconnected$/)]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    fake.down = false;
    await until(async () => (await ready()) === 200);

    await fake.sendEnvelope('slash_commands', slashCommand('crate', fake.responseUrl()));
    await fake.nextResponse();
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('twir_interactions_total{platform="slack",command="crate",outcome="answer"} 1');
    expect(metrics).toMatch(/twir_last_sync_age_seconds \d/);
    const code = await new Promise<number | null>((resolve) => {
      child?.on('exit', (c) => resolve(c));
      child?.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });
});
