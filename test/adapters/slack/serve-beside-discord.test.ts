/**
 * `npm start` with Slack and Discord both in HTTP mode: one process, one
 * listener on PORT serving Discord's `POST /interactions`, Slack's
 * `POST /slack/events` and `GET /healthz`, each with its own signature check,
 * and a clean exit 0 on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, BOT_TOKEN, FakeDiscord } from '../../support/fake-discord.js';
import { FakeSlack, messageError, postSigned, slashCommand } from '../../support/fake-slack.js';
import { miniIssueFile, miniIssueMarkdown } from '../../support/issue-markdown.js';
import { slash } from '../discord/support.js';

const BIN = fileURLToPath(new URL('../../../bin/twir.js', import.meta.url));
const SECRET = 'both-secret';
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');

describe('npm start with Discord and Slack both over HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twir-serve-both-'));
  const source = join(dir, 'content');
  let slack: FakeSlack;
  let discord: FakeDiscord;
  beforeAll(async () => {
    slack = await new FakeSlack().start();
    discord = await new FakeDiscord().start();
    mkdirSync(source);
    const issue = { number: 571, date: '2024-10-30', crate: 'bacon' };
    writeFileSync(join(source, miniIssueFile(issue)), miniIssueMarkdown(issue));
  });
  afterAll(async () => {
    await slack.close();
    await discord.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shares one PORT between /interactions, /slack/events and /healthz, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        TWIR_DB: join(dir, 'twir.db'),
        TWIR_SOURCE: source,
        TWIR_PARSE_WORKERS: '0',
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        DISCORD_TOKEN: BOT_TOKEN,
        DISCORD_MODE: 'http',
        DISCORD_PUBLIC_KEY: publicHex,
        DISCORD_API_BASE: discord.apiBase,
        PORT: '0',
      },
    });
    try {
      let stderr = '';
      child.stdout.resume();
      const port = await new Promise<number>((resolve, reject) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /Listening on port (\d+)/.exec(stderr);
          if (m && /Serving: .*discord.*slack|Serving: .*slack.*discord/.test(stderr)) resolve(Number(m[1]));
        });
        child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      const body = JSON.stringify({ ...slash('crate'), id: '77', token: 'tok77', application_id: APP_ID });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
      const headers = { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp };
      const interaction = await fetch(`${base}/interactions`, { method: 'POST', headers, body });
      expect(interaction.status).toBe(200);
      const response = (await interaction.json()) as { type: number; data: { allowed_mentions: unknown } };
      expect(response.type).toBe(4);
      expect(JSON.stringify(response)).toContain('bacon');
      expect(response.data.allowed_mentions).toEqual({ parse: [] });
      // Slack's secret does not sign Discord requests, nor the other way round.
      expect((await fetch(`${base}/interactions`, { method: 'POST', headers, body: body.replace('crate', 'jobs') })).status).toBe(401);
      expect((await postSigned(`${base}/slack/events`, slashCommand('crate', slack.responseUrl()), 'not-the-secret')).status).toBe(401);

      const res = await postSigned(`${base}/slack/events`, slashCommand('crate', slack.responseUrl()), SECRET);
      expect(res.status).toBe(200);
      const answer = (await slack.nextResponse()).body;
      expect(messageError(answer)).toBeNull();
      expect(JSON.stringify(answer)).toContain('bacon');

      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
