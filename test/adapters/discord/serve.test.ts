/**
 * `npm start` (the built `twir serve`) with DISCORD_TOKEN set, as an operator
 * runs it: the bot comes online on the fake gateway, answers, and stops
 * cleanly on SIGTERM; a token Discord rejects is one line and exit code 1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_DIR } from '../../support/archive.js';
import { BOT_TOKEN, FakeDiscord } from '../../support/fake-discord.js';
import { slash } from './support.js';

const BIN = fileURLToPath(new URL('../../../bin/twir.js', import.meta.url));
let fake: FakeDiscord;
let dir: string;

beforeAll(async () => {
  fake = await new FakeDiscord().start();
  dir = mkdtempSync(join(tmpdir(), 'twir-serve-discord-'));
  mkdirSync(join(dir, 'content'));
  for (const f of ['2024-10-23-this-week-in-rust.md', '2024-10-30-this-week-in-rust.md'])
    copyFileSync(join(ARCHIVE_DIR, f), join(dir, 'content', f));
});

afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Served {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
}

function serve(env: Record<string, string>): Served {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      TWIR_DB: join(dir, 'twir.db'),
      TWIR_SOURCE: join(dir, 'content'),
      DISCORD_API_BASE: fake.apiBase,
      // These tests are about Discord; the web page would take PORT's default 3000, shared by parallel test files.
      TWIR_WEB: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (c) => {
    err += String(c);
  });
  child.stdout?.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exit };
}

async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm start with DISCORD_TOKEN', () => {
  it('brings the bot online, answers /twir, and exits 0 on SIGTERM', async () => {
    const s = serve({ DISCORD_TOKEN: BOT_TOKEN });
    try {
      await until(() => s.stderr().includes('Serving: discord (gateway)'), 'the serving line');
      expect(fake.sessions).toBe(1);
      const { id } = fake.dispatchInteraction(slash('crate'));
      const callback = await fake.callback(id);
      expect((callback.body as { type: number }).type).toBe(4);
      s.child.kill('SIGTERM');
      expect(await s.exit).toBe(0);
    } finally {
      s.child.kill('SIGKILL');
    }
  });

  it('logs a fatal gateway close (4004, token revoked) and exits 1 instead of running on deaf', async () => {
    const s = serve({ DISCORD_TOKEN: BOT_TOKEN });
    try {
      await until(() => s.stderr().includes('Serving: discord (gateway)'), 'the serving line');
      await until(() => fake.sessions === 1, 'the gateway session');
      fake.closeGateway(4004);
      expect(await s.exit).toBe(1);
      expect(s.stderr()).toMatch(/error: discord gateway: Discord closed the connection for good \(4004: .*DISCORD_TOKEN/);
    } finally {
      s.child.kill('SIGKILL');
    }
  });

  it('with PORT set, the gateway process also serves /healthz, /readyz (ready once online) and /metrics', async () => {
    const s = serve({ DISCORD_TOKEN: BOT_TOKEN, PORT: '0', HOST: '127.0.0.1' });
    try {
      await until(
        () => s.stderr().includes('Serving: discord (gateway)') && /Listening on port \d+/.test(s.stderr()),
        'the listening line',
      );
      const base = `http://127.0.0.1:${/Listening on port (\d+) of 127\.0\.0\.1/.exec(s.stderr())?.[1]}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { ready: true }]);
      const { id } = fake.dispatchInteraction(slash('crate'));
      await fake.callback(id);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/twir_interactions_total\{platform="discord",command="crate",outcome="answer"\} 1/);
      s.child.kill('SIGTERM');
      expect(await s.exit).toBe(0);
    } finally {
      s.child.kill('SIGKILL');
    }
  });

  it('prints one line naming DISCORD_TOKEN and exits 1 when Discord rejects the token', async () => {
    const s = serve({ DISCORD_TOKEN: `${BOT_TOKEN.slice(0, -3)}zzz` });
    expect(await s.exit).toBe(1);
    const errors = s
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('error:'));
    expect(errors).toEqual([expect.stringMatching(/^error: DISCORD_TOKEN: Discord rejected the token/)]);
    expect(s.stderr()).not.toMatch(/\n\s+at /);
  });

  it('names the variable and exits 1 for a malformed token or mode', async () => {
    for (const [env, variable] of [
      [{ DISCORD_TOKEN: 'not-a-token' }, 'DISCORD_TOKEN'],
      [{ DISCORD_TOKEN: BOT_TOKEN, DISCORD_MODE: 'carrier-pigeon' }, 'DISCORD_MODE'],
      [{ DISCORD_TOKEN: BOT_TOKEN, DISCORD_MODE: 'http' }, 'DISCORD_PUBLIC_KEY'],
    ] as const) {
      const s = serve(env);
      expect(await s.exit).toBe(1);
      expect(s.stderr().trim()).toMatch(new RegExp(`^error: ${variable}: `));
      expect(s.stderr().trim().split('\n')).toHaveLength(1);
    }
  });

  it('also checks the token at start in HTTP mode', async () => {
    const s = serve({
      DISCORD_TOKEN: `${BOT_TOKEN.slice(0, -3)}zzz`,
      DISCORD_MODE: 'http',
      DISCORD_PUBLIC_KEY: 'ab'.repeat(32),
      PORT: '0',
    });
    expect(await s.exit).toBe(1);
    expect(s.stderr()).toMatch(/error: DISCORD_TOKEN: Discord rejected the token/);
  });

  it('names PORT in one line when the port is taken by another program', async () => {
    const { createServer } = await import('node:net');
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, resolve));
    const port = (squatter.address() as { port: number }).port;
    try {
      const s = serve({ DISCORD_TOKEN: BOT_TOKEN, DISCORD_MODE: 'http', DISCORD_PUBLIC_KEY: 'ab'.repeat(32), PORT: String(port) });
      expect(await s.exit).toBe(1);
      expect(s.stderr()).toMatch(new RegExp(`error: PORT: port ${port} is already in use`));
      expect(s.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      squatter.close();
    }
  });
});
