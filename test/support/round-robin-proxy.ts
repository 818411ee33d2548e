/**
 * A small loopback reverse proxy for the replica tests and bench: round
 * robin over its backends, forwarding method, path, headers and body, with a
 * load balancer's passive health check — a backend that refuses or resets
 * the connection before sending any response byte is skipped and the next
 * one tried (the request is replayed from the buffered body), so a killed
 * replica costs a retry, not an error. node:http only; binds 127.0.0.1:0.
 */
import { Agent, createServer, type IncomingHttpHeaders, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyOptions {
  /** Backend base URLs (http://127.0.0.1:port). */
  backends: string[];
  /** Which backend to try first for a request (default: round robin); later attempts take the next ones in turn. */
  choose?: (req: IncomingMessage, counter: number) => number;
  /** A backend that refused a connection is skipped for this long (ms; default 1000). */
  downForMs?: number;
}

export interface RoundRobinProxy {
  /** http://127.0.0.1:port */
  readonly url: string;
  /** Responses relayed, per backend URL. */
  readonly served: Map<string, number>;
  /** Attempts that failed before a response and were retried on the next backend, per backend URL. */
  readonly retried: Map<string, number>;
  /** Requests sent to each backend URL and not yet answered (headers not received). */
  readonly inFlight: Map<string, number>;
  /** Replaces the backends (a restarted replica listens on a new port). */
  setBackends(backends: string[]): void;
  close(): Promise<void>;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) are the connection's own, not the request's: never forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
]);

/** Errors that mean the backend never answered: nothing reached the client yet, so another may. */
const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH']);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

/** Starts the proxy on 127.0.0.1, port 0. */
export async function startRoundRobinProxy(options: ProxyOptions): Promise<RoundRobinProxy> {
  let backends = [...options.backends];
  const downUntil = new Map<string, number>();
  const served = new Map<string, number>();
  const retried = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let counter = 0;
  const downForMs = options.downForMs ?? 1000;

  const attempt = (backend: string, req: IncomingMessage, body: Buffer): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const target = new URL(req.url ?? '/', backend);
      const headers = forwardable(req.headers);
      headers['content-length'] = String(body.length);
      headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
      const out = request(target, { method: req.method, headers, agent }, resolve);
      out.on('error', reject);
      out.end(body);
    });

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const first = options.choose ? options.choose(req, counter++) : counter++;
    const list = backends;
    const now = Date.now();
    // Healthy backends first in round-robin order; ones marked down are tried last, not never.
    const order = list.map((_, i) => list[(first + i) % list.length] as string);
    order.sort((a, b) => Number((downUntil.get(a) ?? 0) > now) - Number((downUntil.get(b) ?? 0) > now));
    for (const backend of order) {
      let upstream: IncomingMessage;
      inFlight.set(backend, (inFlight.get(backend) ?? 0) + 1);
      try {
        upstream = await attempt(backend, req, body);
      } catch (err) {
        inFlight.set(backend, (inFlight.get(backend) ?? 1) - 1);
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (!RETRYABLE.has(code) && !/socket hang up/.test(String(err))) break;
        retried.set(backend, (retried.get(backend) ?? 0) + 1);
        if (code === 'ECONNREFUSED') downUntil.set(backend, Date.now() + downForMs);
        continue;
      }
      inFlight.set(backend, (inFlight.get(backend) ?? 1) - 1);
      served.set(backend, (served.get(backend) ?? 0) + 1);
      res.writeHead(upstream.statusCode ?? 502, forwardable(upstream.headers));
      upstream.pipe(res);
      upstream.on('error', () => res.destroy());
      return;
    }
    res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"no backend answered"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    served,
    retried,
    inFlight,
    setBackends(next) {
      backends = [...next];
    },
    close() {
      agent.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
