import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, messageError, postSigned, slashCommand } from '../../support/fake-slack.js';
import { miniIssueFile, miniIssueMarkdown } from '../../support/issue-markdown.js';

const BIN = fileURLToPath(new URL('../../../bin/twir.js', import.meta.url));
const SECRET = 'serve-secret';

/** Runs `twir serve` to its end without blocking this process (the fake Slack lives here and must answer). */
function runServe(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

describe('npm start with SLACK_BOT_TOKEN (built CLI, `twir serve`)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twir-slack-serve-'));
  const source = join(dir, 'content');
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await new FakeSlack().start();
    const issue = { number: 571, date: '2024-10-30', crate: 'bacon' };
    rmSync(source, { recursive: true, force: true });
    mkdirSync(source);
    writeFileSync(join(source, miniIssueFile(issue)), miniIssueMarkdown(issue));
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}) => ({
    TWIR_DB: join(dir, 'twir.db'),
    TWIR_SOURCE: source,
    TWIR_PARSE_WORKERS: '0',
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    ...extra,
  });

  it('refuses a token Slack rejects in one line naming SLACK_BOT_TOKEN, exit 1, no stack trace', async () => {
    const r = await runServe(env({ SLACK_BOT_TOKEN: 'xoxb-revoked' }));
    expect(r.code).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => /SLACK_BOT_TOKEN/.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('invalid_auth');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses an app-level token Slack rejects in one line naming SLACK_APP_TOKEN, exit 1, no stack trace', async () => {
    const r = await runServe(env({ SLACK_APP_TOKEN: 'xapp-revoked', SLACK_SIGNING_SECRET: '' }));
    expect(r.code).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toEqual([expect.stringMatching(/^error: SLACK_APP_TOKEN: .*invalid_auth/)]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses a malformed token and HTTP mode without a signing secret, naming the variable, exit 1', async () => {
    const bad = await runServe(env({ SLACK_BOT_TOKEN: 'not-a-token' }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/SLACK_BOT_TOKEN/);
    const noSecret = await runServe(env({ SLACK_SIGNING_SECRET: '' }));
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toMatch(/SLACK_SIGNING_SECRET/);
    expect(noSecret.stderr).not.toMatch(/^\s+at /m);
  });

  it('serves /twir over HTTP on PORT beside /healthz, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env() },
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /Listening on port (\d+)/.exec(stderr);
        if (m && /Serving: .*slack/.test(stderr)) resolve(Number(m[1]));
      });
      child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const res = await postSigned(`${base}/slack/events`, slashCommand('crate', fake.responseUrl()), SECRET);
    expect(res.status).toBe(200);
    const answer = (await fake.nextResponse()).body;
    expect(messageError(answer)).toBeNull();
    expect(JSON.stringify(answer)).toContain('bacon');
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(stdout + stderr).toMatch(/SIGTERM/);
  });
});
