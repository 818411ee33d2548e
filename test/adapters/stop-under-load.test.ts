/**
 * The built `twir serve` in Discord HTTP mode, stopped with SIGTERM while
 * clients keep it busy: keep-alive clients sending commands back to back,
 * sockets that never finish their headers, and a body that stalls. It stops
 * taking new work (commands get "restarting", connections are closed) and
 * exits on its own, well before the 10 s a process manager allows.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_DIR } from '../support/archive.js';
import { APP_ID, BOT_TOKEN, FakeDiscord } from '../support/fake-discord.js';
import { slash } from './discord/support.js';

const BIN = fileURLToPath(new URL('../../bin/twir.js', import.meta.url));
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
let fake: FakeDiscord;
let dir: string;

beforeAll(async () => {
  fake = await new FakeDiscord().start();
  dir = mkdtempSync(join(tmpdir(), 'twir-stop-under-load-'));
  mkdirSync(join(dir, 'content'));
  for (const f of ['2024-10-23-this-week-in-rust.md', '2024-10-30-this-week-in-rust.md'])
    copyFileSync(join(ARCHIVE_DIR, f), join(dir, 'content', f));
});

afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

function signedBody(n: number): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ ...slash('help'), id: String(n), token: `t${n}`, application_id: APP_ID });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
  return { body, headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp } };
}

describe('SIGTERM while clients keep the server busy', () => {
  it('refuses new commands, closes keep-alive and slow sockets, and exits 0 within 10 s', async () => {
    const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        TWIR_DB: join(dir, 'twir.db'),
        TWIR_SOURCE: join(dir, 'content'),
        DISCORD_API_BASE: fake.apiBase,
        DISCORD_TOKEN: BOT_TOKEN,
        DISCORD_MODE: 'http',
        DISCORD_PUBLIC_KEY: publicHex,
        PORT: '0',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const sockets: Socket[] = [];
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    let sending = true;
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stderr?.on('data', (c) => {
          stderr += String(c);
          const m = /Listening on port (\d+)/.exec(stderr);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', () => reject(new Error(`serve exited: ${stderr}`)));
      });
      // Sockets that never finish their headers, and one whose body never comes.
      for (let i = 0; i < 5; i++) {
        const s = connect(port, '127.0.0.1');
        s.on('error', () => undefined);
        s.write('POST /interactions HTTP/1.1\r\nHost: x\r\nX-Signature-Ed');
        sockets.push(s);
      }
      const stall = connect(port, '127.0.0.1');
      stall.on('error', () => undefined);
      const { headers } = signedBody(0);
      stall.write(
        `POST /interactions HTTP/1.1\r\nHost: x\r\n${Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\r\n')}\r\nContent-Length: 2000\r\n\r\n{`,
      );
      sockets.push(stall);
      // Eight keep-alive clients sending commands back to back until the server is gone.
      const replies: string[] = [];
      let n = 1;
      const one = () =>
        new Promise<void>((resolve) => {
          const { body, headers } = signedBody(n++);
          const req = request({ port, host: '127.0.0.1', path: '/interactions', method: 'POST', agent, headers }, (res) => {
            let text = '';
            res.on('data', (c) => {
              text += String(c);
            });
            res.on('end', () => {
              replies.push(text);
              resolve();
            });
            res.on('error', () => resolve());
          });
          req.on('error', () => resolve());
          req.end(body);
        });
      let answeredAfterStop = 0;
      const clients = Array.from({ length: 8 }, async () => {
        while (sending) {
          const before = replies.length;
          const stopping = stderr.includes('SIGTERM: finishing');
          await one();
          if (stopping && replies.length > before && replies.at(-1)?.includes('"embeds":[{')) answeredAfterStop++;
          // Once the port is closed, requests fail at once: do not spin on them.
          if (stopping) await new Promise((r) => setTimeout(r, 5));
        }
      });
      while (replies.length < 50) await new Promise((r) => setTimeout(r, 10));
      const signalled = performance.now();
      child.kill('SIGTERM');
      const code = await exited;
      const tookMs = performance.now() - signalled;
      sending = false;
      await Promise.all(clients);
      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(10_000);
      // New work was refused (a "restarting" reply or a closed connection), not served on regardless.
      expect(answeredAfterStop).toBeLessThanOrEqual(8);
      expect(replies.every((r) => r === '' || r.includes('"type":4'))).toBe(true);
    } finally {
      sending = false;
      for (const s of sockets) s.destroy();
      agent.destroy();
      child.kill('SIGKILL');
    }
  });
});
