/**
 * The one HTTP listener on `PORT` that every HTTP-mode adapter shares:
 * Discord interactions (`POST /interactions`), Slack events and
 * interactivity (`POST /slack/events`) and `GET /healthz` for a load
 * balancer. Adapters register routes; this module only dispatches, so each
 * adapter keeps its own signature checks and body parsing (both need the raw
 * body, untouched).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpListener {
  /**
   * Adds a route; a second handler for the same method and path is a programming error. A path
   * ending in `/*` matches every path under it (`/issue/*`: `/issue/571`); an exact route wins.
   */
  route(method: 'GET' | 'POST', path: string, handler: RouteHandler): void;
  /** True once any adapter registered a route (a gateway/Socket Mode-only process opens no port). */
  readonly hasRoutes: boolean;
  /** Starts listening; resolves with the bound port (pass 0 in tests). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting connections and resolves once requests in flight have finished. */
  close(): Promise<void>;
}

export function createHttpListener(log: Logger): HttpListener {
  const routes = new Map<string, RouteHandler>();
  const prefixes: { key: string; handler: RouteHandler }[] = [];
  let server: Server | null = null;
  routes.set('GET /healthz', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });

  const dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const key = `${req.method} ${path}`;
    const handler = routes.get(key) ?? prefixes.find((p) => key.startsWith(p.key))?.handler;
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        log.error(`${req.method} ${path}: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
        else res.end();
      });
  };

  return {
    route(method, path, handler) {
      const key = `${method} ${path}`;
      if (routes.has(key) && key !== 'GET /healthz') throw new Error(`route ${key} registered twice`);
      routes.set(key, handler);
      // Longest prefix first, so `/api/issue/*` would win over `/api/*`.
      if (key.endsWith('/*')) prefixes.push({ key: key.slice(0, -1), handler });
      prefixes.sort((a, b) => b.key.length - a.key.length);
    },
    get hasRoutes() {
      return routes.size > 1;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const s = createServer(dispatch);
        s.once('error', reject);
        s.listen(port, host, () => {
          server = s;
          resolve((s.address() as AddressInfo).port);
        });
      });
    },
    close() {
      const s = server;
      server = null;
      if (!s) return Promise.resolve();
      return new Promise((resolve) => {
        s.close(() => resolve());
        // Keep-alive sockets with no request in flight would hold close() open forever.
        s.closeIdleConnections();
      });
    },
  };
}
