/**
 * The shared listener's front door, in process: bodies are refused by their
 * headers before any byte is read, stalled bodies cannot pile up (the oldest
 * is cut off when the cap is reached), GET routes still work without a body,
 * and close() ends keep-alive and slow clients within the grace period.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpListener, type HttpListener } from '../../src/adapters/http-listener.js';
import { createLogger } from '../../src/logger.js';

const quiet = createLogger(undefined, true);
let listener: HttpListener | undefined;
const sockets: Socket[] = [];
/** Requests whose headers reached the route's check (their bodies are read next). */
let admitted = 0;

async function untilAdmitted(n: number): Promise<void> {
  while (admitted < n) await new Promise((r) => setImmediate(r));
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await listener?.close();
  listener = undefined;
});

/** A raw socket that sent `head` and then nothing: resolves with everything the server wrote before it closed. */
function stalled(port: number, head: string): { socket: Socket; answer: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.write(head);
  let got = '';
  socket.on('data', (c) => {
    got += String(c);
  });
  const answer = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(got));
    socket.on('error', () => undefined);
  });
  return { socket, answer };
}

const post = (length: number, extra = '') =>
  `POST /signed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n{"partial":`;

async function start(options: Parameters<typeof createHttpListener>[1] = {}): Promise<number> {
  listener = createHttpListener(quiet, options);
  listener.route(
    'POST',
    '/signed',
    (_req, res, body) => {
      res.writeHead(200).end(`got ${body.length}`);
    },
    {
      maxBodyBytes: 1000,
      admit: (req) => {
        admitted++;
        return req.headers['x-sig'] ? null : { status: 401, message: 'unsigned' };
      },
    },
  );
  listener.route('GET', '/page', (_req, res, body) => {
    res.writeHead(200).end(`page ${body.length}`);
  });
  return listener.listen(0, '127.0.0.1');
}

describe('the shared HTTP listener', () => {
  it('names the replica in X-Twir-Replica on every response when TWIR_REPLICA_NAME is set, and not otherwise', async () => {
    const port = await start({ replicaName: 'twir-2' });
    for (const path of ['/healthz', '/page', '/nowhere'])
      expect((await fetch(`http://127.0.0.1:${port}${path}`)).headers.get('x-twir-replica')).toBe('twir-2');
    await listener?.close();
    const plain = await start();
    expect((await fetch(`http://127.0.0.1:${plain}/healthz`)).headers.get('x-twir-replica')).toBeNull();
  });

  it('refuses an unsigned or oversized body by its headers, without waiting for the body', async () => {
    const port = await start();
    expect((await stalled(port, post(500)).answer).split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
    expect((await stalled(port, post(50_000_000, 'X-Sig: 1\r\n')).answer).split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
    const chunked = 'POST /signed HTTP/1.1\r\nHost: x\r\nX-Sig: 1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n';
    expect((await stalled(port, chunked).answer).split('\r\n')[0]).toBe('HTTP/1.1 411 Length Required');
  });

  it('cuts off the oldest stalled body once the cap is reached, and keeps answering others meanwhile', async () => {
    const port = await start({ maxPendingBodies: 5 });
    admitted = 0;
    const stalls = Array.from({ length: 5 }, () => stalled(port, post(800, 'X-Sig: 1\r\n')));
    // All five pending before the sixth arrives.
    await untilAdmitted(5);
    const sixth = stalled(port, post(800, 'X-Sig: 1\r\n'));
    const first = await Promise.race(stalls.map((s) => s.answer));
    expect(first.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    const res = await fetch(`http://127.0.0.1:${port}/signed`, { method: 'POST', headers: { 'x-sig': '1' }, body: 'x'.repeat(10) });
    expect(await res.text()).toBe('got 10');
    expect(await (await fetch(`http://127.0.0.1:${port}/page`)).text()).toBe('page 0');
    sixth.socket.destroy();
  });

  it('answers 408 and closes the socket when a body does not arrive in time', async () => {
    listener = createHttpListener(quiet);
    listener.route('POST', '/x', (_req, res) => void res.end('late'), { bodyTimeoutMs: 50, admit: () => null });
    const port = await listener.listen(0, '127.0.0.1');
    const answer = await stalled(port, post(100).replace('/signed', '/x')).answer;
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
  });

  it('close() ends keep-alive clients and slow-header sockets within the grace period, with Connection: close meanwhile', async () => {
    const port = await start({ drainGraceMs: 200 });
    const slow = stalled(port, 'POST /signed HTTP/1.1\r\nHost: x\r\nX-Si');
    const stalledBody = stalled(port, post(800, 'X-Sig: 1\r\n'));
    const agent = await import('node:http').then((m) => new m.Agent({ keepAlive: true }));
    const get = (path: string) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        import('node:http').then(({ request }) =>
          request({ port, host: '127.0.0.1', path, agent }, (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
          })
            .on('error', reject)
            .end(),
        );
      });
    expect((await get('/page')).connection).toBe('keep-alive');
    const closed = listener?.close();
    expect(listener?.accepting).toBe(false);
    await closed;
    await slow.answer;
    await stalledBody.answer;
    agent.destroy();
  });
});
