/**
 * The one HTTP listener on `PORT` that every HTTP-mode adapter shares:
 * Discord interactions (`POST /interactions`), Slack events and
 * interactivity (`POST /slack/events`) and `GET /healthz` for a load
 * balancer. Adapters register routes; this module dispatches and guards the
 * front door, so no route can be used to hold memory or sockets:
 *
 * - a route's `admit` check (signature present, timestamp in the window)
 *   and its body limit run on the headers, before any body byte is read;
 * - bodies are read with a deadline and a cap on how many are pending
 *   (http/read-body.ts), and handed to the handler whole;
 * - headers must arrive within seconds, idle keep-alive sockets are closed,
 *   and the number of open connections is capped;
 * - `close()` stops within a grace period whatever the clients do
 *   (http/drain.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import { drainServer } from './http/drain.js';
import { type BodyRefusal, createBodyReader } from './http/read-body.js';

/** Handles a request whose body (empty for GET) was already read within the route's limits. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

/** A refusal from a route's header check: the status and a short text for the response. */
export interface Refusal {
  status: number;
  message: string;
}

export interface RouteOptions {
  /** Largest body accepted, checked on Content-Length before reading (default 64 KiB for POST, none for GET). */
  maxBodyBytes?: number;
  /** The body must arrive within this (ms; default 3000, Discord's whole answer window). */
  bodyTimeoutMs?: number;
  /** Checks the headers before the body is read (a signed route: signature present, timestamp recent); null admits. */
  admit?: (req: IncomingMessage) => Refusal | null;
}

export interface ListenerOptions {
  /** Bodies read at once, across routes; past it the oldest pending read is cut off (default 256). */
  maxPendingBodies?: number;
  /** Open connections at most; more are dropped on arrival until some close (default 4096). */
  maxConnections?: number;
  /** Request headers must arrive within this (ms; default 10 s). */
  headersTimeoutMs?: number;
  /** How long `close()` lets requests in flight finish before closing every connection (ms; default 5 s). */
  drainGraceMs?: number;
  /** Sent as `X-Twir-Replica` on every response (TWIR_REPLICA_NAME): which replica behind a load balancer answered. */
  replicaName?: string | null;
}

export interface HttpListener {
  /**
   * Adds a route; a second handler for the same method and path is a programming error. A path
   * ending in `/*` matches every path under it (`/issue/*`: `/issue/571`); an exact route wins.
   */
  route(method: 'GET' | 'POST', path: string, handler: RouteHandler, options?: RouteOptions): void;
  /** True once any adapter registered a route (a gateway/Socket Mode-only process opens no port). */
  readonly hasRoutes: boolean;
  /** False once draining: responses then carry `Connection: close` and /healthz answers 503. */
  readonly accepting: boolean;
  /** Starts listening; resolves with the bound port (pass 0 in tests). */
  listen(port: number, host?: string): Promise<number>;
  /**
   * Stops: no new connections, `Connection: close` on every response, idle
   * sockets closed as they go idle, all closed after the grace period.
   * Resolves once the server is closed.
   */
  close(): Promise<void>;
}

const DEFAULT_POST_BODY = 64 * 1024;

type Route = { handler: RouteHandler; options: RouteOptions };

export function createHttpListener(log: Logger, options: ListenerOptions = {}): HttpListener {
  const routes = new Map<string, Route>();
  const prefixes: { key: string; route: Route }[] = [];
  const bodies = createBodyReader(options.maxPendingBodies ?? 256);
  let server: Server | null = null;
  let accepting = true;
  let closing: Promise<void> | null = null;
  routes.set('GET /healthz', {
    handler: (_req, res) => {
      // A load balancer stops sending here once this process is on its way out.
      if (!accepting) res.writeHead(503, { 'content-type': 'application/json' }).end('{"ok":false,"stopping":true}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    },
    options: {},
  });

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!accepting) res.shouldKeepAlive = false;
    if (options.replicaName) res.setHeader('x-twir-replica', options.replicaName);
    const path = (req.url ?? '/').split('?')[0] as string;
    const key = `${req.method} ${path}`;
    const route = routes.get(key) ?? prefixes.find((p) => key.startsWith(p.key))?.route;
    // A body sent to no route is not read either: the connection goes with the answer.
    if (!route) return refuse(req, res, { status: 404, message: 'not found' }, true);
    const refusal = route.options.admit?.(req);
    if (refusal) return refuse(req, res, refusal, true);
    let body: Buffer = Buffer.alloc(0);
    // A GET page takes no body (Node discards one, unread).
    if (req.method !== 'GET') {
      const maxBytes = route.options.maxBodyBytes ?? DEFAULT_POST_BODY;
      const read = await bodies.read(req, { maxBytes, timeoutMs: route.options.bodyTimeoutMs ?? 3000 });
      if (!Buffer.isBuffer(read)) return refuse(req, res, read, true);
      body = read;
    }
    try {
      await route.handler(req, res, body);
    } catch (err: unknown) {
      // One line, never a stack trace in the response.
      log.error(`${req.method} ${path}: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      else res.end();
    }
  };

  return {
    route(method, path, handler, routeOptions = {}) {
      const key = `${method} ${path}`;
      if (routes.has(key) && key !== 'GET /healthz') throw new Error(`route ${key} registered twice`);
      const route = { handler, options: routeOptions };
      routes.set(key, route);
      // Longest prefix first, so `/api/issue/*` would win over `/api/*`.
      if (key.endsWith('/*')) prefixes.push({ key: key.slice(0, -1), route });
      prefixes.sort((a, b) => b.key.length - a.key.length);
    },
    get hasRoutes() {
      return routes.size > 1;
    },
    get accepting() {
      return accepting;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const s = createServer(
          {
            headersTimeout: options.headersTimeoutMs ?? 10_000,
            requestTimeout: 30_000,
            keepAliveTimeout: 5_000,
            // Node checks the two timeouts above this often (its default, 30 s, lets slow headers linger).
            connectionsCheckingInterval: 1_000,
          },
          (req, res) => void dispatch(req, res),
        );
        // Bounds what idle or slow sockets can hold; stalled ones go after headersTimeout anyway.
        s.maxConnections = options.maxConnections ?? 4096;
        s.once('error', reject);
        s.listen(port, host, () => {
          server = s;
          resolve((s.address() as AddressInfo).port);
        });
      });
    },
    close() {
      accepting = false;
      if (closing) return closing;
      const s = server;
      server = null;
      closing = s ? drainServer(s, options.drainGraceMs ?? 5_000) : Promise.resolve();
      return closing;
    },
  };
}

/** Answers a refused request and closes its connection when its body was left unread. */
function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal | BodyRefusal, unread: boolean): void {
  if (res.headersSent) return;
  const closing = unread && hasUnreadBody(req);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (closing) headers.connection = 'close';
  res.writeHead(refusal.status, headers).end(JSON.stringify({ error: refusal.message }));
  if (closing) {
    // The client may still be sending (or stalling): once the answer is out, the socket goes.
    res.once('finish', () => {
      req.socket.end();
      setTimeout(() => req.socket.destroy(), 1000).unref();
    });
  }
}

/** Whether the request announced a body that has not all arrived (Node would otherwise read and discard it). */
function hasUnreadBody(req: IncomingMessage): boolean {
  if (req.complete) return false;
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
