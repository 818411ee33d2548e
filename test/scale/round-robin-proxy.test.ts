/**
 * The test proxy itself (test/support/round-robin-proxy.ts): round robin,
 * everything of the request forwarded, and a backend that is gone or drops
 * the connection before answering is skipped for the next one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RoundRobinProxy, startRoundRobinProxy } from '../support/round-robin-proxy.js';

const servers: Server[] = [];
let proxy: RoundRobinProxy | null = null;

afterEach(async () => {
  await proxy?.close();
  proxy = null;
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A backend that echoes what it received, or (`drop`) destroys the connection without a byte. */
async function backend(name: string, behaviour: 'echo' | 'drop' = 'echo'): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (behaviour === 'drop') return req.socket.destroy();
      const echo = {
        name,
        method: req.method,
        url: req.url,
        signature: req.headers['x-signature'],
        body: Buffer.concat(chunks).toString(),
      };
      res.writeHead(201, { 'content-type': 'application/json', 'x-backend': name }).end(JSON.stringify(echo));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the round-robin test proxy', () => {
  it('spreads requests in turn and forwards method, path, query, headers and body', async () => {
    proxy = await startRoundRobinProxy({ backends: [await backend('a'), await backend('b'), await backend('c')] });
    const names: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${proxy.url}/events?x=${i}`, { method: 'POST', headers: { 'x-signature': `s${i}` }, body: `body ${i}` });
      expect(res.status).toBe(201);
      const echo = (await res.json()) as Record<string, string>;
      expect(echo).toMatchObject({ method: 'POST', url: `/events?x=${i}`, signature: `s${i}`, body: `body ${i}` });
      expect(res.headers.get('x-backend')).toBe(echo.name);
      names.push(echo.name as string);
    }
    expect(names).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('skips a backend that refuses connections or drops one before answering', async () => {
    const gone = await backend('gone');
    const goneServer = servers.at(-1) as Server;
    await new Promise((r) => goneServer.close(r));
    servers.pop();
    const dropper = await backend('dropper', 'drop');
    proxy = await startRoundRobinProxy({ backends: [gone, dropper, await backend('ok')] });
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${proxy.url}/x`, { method: 'POST', body: 'hello' });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { name: string; body: string }).body).toBe('hello');
    }
    expect(proxy.served.get(gone)).toBeUndefined();
    expect(proxy.retried.get(gone)).toBeGreaterThan(0);
    expect(proxy.served.get(dropper)).toBeUndefined();
    expect(proxy.retried.get(dropper)).toBeGreaterThan(0);
    expect([...proxy.served.values()].reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('answers 502 when no backend answers', async () => {
    const gone = await backend('gone');
    const goneServer = servers.pop() as Server;
    await new Promise((r) => goneServer.close(r));
    proxy = await startRoundRobinProxy({ backends: [gone] });
    expect((await fetch(`${proxy.url}/x`)).status).toBe(502);
  });
});
