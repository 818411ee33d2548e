/**
 * Stopping an HTTP server that clients keep busy. `server.close()` alone
 * waits for every keep-alive connection and every slow client; after a
 * shutdown signal the listener instead answers each request with
 * `Connection: close`, closes connections as soon as they are idle, and
 * destroys whatever is left after a grace period, so the process can exit in
 * bounded time whatever the clients do.
 */
import type { Server } from 'node:http';

/** Closes `server` within `graceMs`: idle connections now, busy ones as they go idle, the rest at the deadline. */
export function drainServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const closed = new Promise<void>((done) => server.close(() => done()));
    server.closeIdleConnections();
    // Responses carry Connection: close while draining, but a keep-alive socket between requests is idle only briefly.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    void closed.then(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
  });
}
