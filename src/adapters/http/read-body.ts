/**
 * Reads request bodies within bounds, so unauthenticated clients cannot hold
 * memory or sockets: the Content-Length is checked against the route's limit
 * before a byte is read, every read has a deadline, and at most `maxPending`
 * bodies are being read at once. When that many are pending, the oldest read
 * is cut off (a stalled body is the oldest; a real request's arrives in one
 * packet), so newcomers are still served during a slow-body attack.
 */
import type { IncomingMessage } from 'node:http';

/** Why a body was not read: the status to answer with. */
export interface BodyRefusal {
  status: 408 | 411 | 413 | 400;
  message: string;
}

export interface BodyLimits {
  /** Largest Content-Length accepted. */
  maxBytes: number;
  /** The whole body must arrive within this (ms). */
  timeoutMs: number;
}

export interface BodyReader {
  /** The body, or why not; the caller answers a refusal (and closes the connection). */
  read(req: IncomingMessage, limits: BodyLimits): Promise<Buffer | BodyRefusal>;
  /** Bodies being read right now. */
  readonly pending: number;
}

/** Refuses a body by its headers alone; null when it may be read. */
export function checkLength(req: IncomingMessage, maxBytes: number): BodyRefusal | null {
  const length = req.headers['content-length'];
  if (length === undefined) {
    // A chunked body has no length to check up front; the platforms always send one.
    if (req.headers['transfer-encoding'] !== undefined) return { status: 411, message: 'content-length required' };
    return null;
  }
  if (!/^\d{1,15}$/.test(length)) return { status: 400, message: 'bad content-length' };
  if (Number(length) > maxBytes) return { status: 413, message: 'body too large' };
  return null;
}

export function createBodyReader(maxPending: number): BodyReader {
  // Insertion-ordered: the first entry is the oldest read.
  const reads = new Map<IncomingMessage, () => void>();
  return {
    get pending() {
      return reads.size;
    },
    read(req, limits) {
      const refused = checkLength(req, limits.maxBytes);
      if (refused) return Promise.resolve(refused);
      if (reads.size >= maxPending) {
        const [oldest, cut] = reads.entries().next().value as [IncomingMessage, () => void];
        reads.delete(oldest);
        cut();
      }
      return new Promise((resolve) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let settled = false;
        const finish = (result: Buffer | BodyRefusal) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reads.delete(req);
          req.off('data', onData);
          req.off('end', onEnd);
          req.off('error', onEnd);
          req.off('aborted', onEnd);
          resolve(result);
        };
        const timedOut = () => {
          finish({ status: 408, message: 'body not received in time' });
          req.pause();
        };
        const onData = (chunk: Buffer) => {
          size += chunk.length;
          // Content-Length was checked, but a client may still send more than it said.
          if (size > limits.maxBytes) {
            finish({ status: 413, message: 'body too large' });
            req.pause();
            return;
          }
          chunks.push(chunk);
        };
        const onEnd = () => {
          if (req.complete) finish(Buffer.concat(chunks, size));
          else finish({ status: 400, message: 'body incomplete' });
        };
        const timer = setTimeout(timedOut, limits.timeoutMs);
        reads.set(req, timedOut);
        req.on('data', onData);
        req.on('end', onEnd);
        req.on('error', onEnd);
        req.on('aborted', onEnd);
      });
    },
  };
}
