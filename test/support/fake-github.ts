/**
 * A loopback server that behaves like GitHub for the endpoints `twir sync` uses, so sync tests never touch the
 * network: the git tree of one folder (with ETags and 304s), the contents API, blobs by sha, and raw files.
 *
 * One server plays both hosts: the API lives under `/api` (like GitHub Enterprise's `/api/v3`), raw files under
 * `/raw`. Blob shas are real git blob SHA-1s. Faults are switchable per test; every request is recorded.
 */

import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Bottleneck from 'bottleneck';
import type { IssueStore } from '../../src/core/store/store.js';
import { createGitHubSource } from '../../src/core/sync/github-source.js';
import type { IssueSource } from '../../src/core/sync/source.js';

/** One request as the server saw it (`path` is the raw request target, query included). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/** Initial repository layout. */
export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  branch?: string;
  folder?: string;
  /** Issue files in the folder: name → content. */
  files?: Record<string, string | Uint8Array>;
  /** Also list non-issue entries (README.md, notes.txt, a sub-folder, a symlinked .md); default true. */
  extras?: boolean;
}

/** A rate-limit fault: primary (`resetEpoch` → `x-ratelimit-remaining: 0` + `x-ratelimit-reset`) and/or `retry-after`. */
export interface RateLimitFault {
  status?: 403 | 429;
  resetEpoch?: number;
  retryAfterSeconds?: number;
}

interface TreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree';
  sha: string;
  size?: number;
}

/** git's blob SHA-1, computed independently of the code under test. */
function blobSha(bytes: Uint8Array): string {
  return createHash('sha1')
    .update(Buffer.from(`blob ${bytes.byteLength}\0`, 'utf8'))
    .update(bytes)
    .digest('hex');
}

function toBytes(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? new TextEncoder().encode(content) : content;
}

/** The fake. `start()` before use, `close()` after. */
export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly branch: string;
  readonly folder: string;
  readonly requests: RecordedRequest[] = [];

  /** Current issue files of the folder. */
  readonly files = new Map<string, Uint8Array>();
  /** Every blob ever served, by sha (blobs stay fetchable after the branch moves on, as on GitHub). */
  private readonly blobs = new Map<string, Uint8Array>();
  private readonly extras: boolean;

  // Faults, switchable at any time.
  rateLimit: RateLimitFault | null = null;
  /** The next N requests (any route) answer `failStatus`. */
  failNext = 0;
  failStatus = 502;
  /** The tree answers only every other entry of the folder, with `truncated: true`. */
  truncateTree = false;
  /** When set, the contents API answers this status instead of a listing. */
  contentsStatus: number | null = null;
  /** Every `/repos/{owner}/{repo}` route answers 404. */
  repoMissing = false;
  /** Raw serves these (old) bytes instead of the current ones, like a CDN that has not caught up. */
  readonly staleRaw = new Map<string, Uint8Array>();
  /** Raw answers 404 for these names. */
  readonly rawMissing = new Set<string>();
  /** The next request to this host kind is redirected once to `to` + the same path after `/api` or `/raw`. */
  redirectOnce: { kind: 'api' | 'raw'; to: string; status?: number } | null = null;
  /** Delay before answering, to observe concurrency. */
  delayMs = 0;

  /** Requests being answered right now, and the most seen at once. */
  inFlight = 0;
  maxInFlight = 0;

  private server: Server | null = null;
  private origin = '';

  constructor(options: FakeGitHubOptions = {}) {
    this.owner = options.owner ?? 'rust-lang';
    this.repo = options.repo ?? 'this-week-in-rust';
    this.branch = options.branch ?? 'main';
    this.folder = options.folder ?? 'content';
    this.extras = options.extras ?? true;
    for (const [name, content] of Object.entries(options.files ?? {})) this.setFile(name, content);
  }

  get apiBaseUrl(): string {
    return `${this.origin}/api`;
  }

  get rawBaseUrl(): string {
    return `${this.origin}/raw`;
  }

  /** Adds or changes a file (a new blob sha, a new tree ETag). */
  setFile(name: string, content: string | Uint8Array): void {
    const bytes = toBytes(content);
    this.files.set(name, bytes);
    this.blobs.set(blobSha(bytes), bytes);
  }

  deleteFile(name: string): void {
    this.files.delete(name);
  }

  /** The sha GitHub would report for a file's current bytes. */
  shaOf(name: string): string {
    const bytes = this.files.get(name);
    if (!bytes) throw new Error(`fake has no file ${name}`);
    return blobSha(bytes);
  }

  /** Requests whose path starts with `/api` or `/raw`. */
  requestsTo(kind: 'api' | 'raw'): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(`/${kind}/`));
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  /** Tree entries of the folder as GitHub lists them (issue files plus, optionally, non-issue entries). */
  private treeEntries(): TreeEntry[] {
    const entries: TreeEntry[] = [...this.files].map(([path, bytes]) => ({
      path,
      mode: '100644',
      type: 'blob',
      sha: blobSha(bytes),
      size: bytes.byteLength,
    }));
    if (this.extras) {
      const readme = toBytes('# Content\n');
      const notes = toBytes('notes\n');
      const link = toBytes('2024-01-03-this-week-in-rust.md');
      entries.push(
        { path: 'README.md', mode: '100644', type: 'blob', sha: blobSha(readme), size: readme.byteLength },
        { path: 'notes.txt', mode: '100644', type: 'blob', sha: blobSha(notes), size: notes.byteLength },
        { path: 'latest.md', mode: '120000', type: 'blob', sha: blobSha(link), size: link.byteLength },
        { path: 'drafts', mode: '040000', type: 'tree', sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904' },
      );
    }
    return entries.sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    this.requests.push({ method: req.method ?? 'GET', path: target, headers: req.headers });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      this.route(req, res, target);
    } finally {
      this.inFlight--;
    }
  }

  private route(req: IncomingMessage, res: ServerResponse, target: string): Handled {
    const url = new URL(target, 'http://fake.invalid');
    const segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const kind = segments[0];

    if (this.failNext > 0) {
      this.failNext--;
      return json(res, this.failStatus, { message: 'Server Error' });
    }
    if ((kind === 'api' || kind === 'raw') && this.redirectOnce?.kind === kind) {
      const { to, status } = this.redirectOnce;
      this.redirectOnce = null;
      res.writeHead(status ?? 302, { Location: `${to}${url.pathname.slice(kind.length + 1)}${url.search}` });
      res.end();
      return true;
    }

    if (kind === 'api') return this.routeApi(req, res, segments.slice(1), url);
    if (kind === 'raw') return this.routeRaw(res, segments.slice(1));
    return json(res, 404, { message: 'Not Found' });
  }

  private routeApi(req: IncomingMessage, res: ServerResponse, segments: string[], url: URL): Handled {
    if (this.rateLimit) {
      const { status = 403, resetEpoch, retryAfterSeconds } = this.rateLimit;
      const headers: Record<string, string> = { 'x-ratelimit-limit': '60', 'x-ratelimit-used': '60' };
      if (resetEpoch !== undefined) {
        headers['x-ratelimit-remaining'] = '0';
        headers['x-ratelimit-reset'] = String(resetEpoch);
      }
      if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
      return json(res, status, { message: 'API rate limit exceeded for 127.0.0.1.' }, headers);
    }
    const [repos, owner, repo, ...rest] = segments;
    if (repos !== 'repos' || owner !== this.owner || repo !== this.repo || this.repoMissing) return notFound(res);

    // GET /repos/{o}/{r}/git/trees/{branch}:{folder}
    if (rest[0] === 'git' && rest[1] === 'trees') {
      const treeish = rest.slice(2).join('/');
      const colon = treeish.indexOf(':');
      const ref = colon < 0 ? treeish : treeish.slice(0, colon);
      const path = colon < 0 ? '' : treeish.slice(colon + 1);
      if (ref !== this.branch || path !== this.folder) return notFound(res);
      let tree = this.treeEntries();
      // Truncation drops entries from anywhere in the listing; keeping every other one makes that visible.
      if (this.truncateTree) tree = tree.filter((_, i) => i % 2 === 0);
      const listingSha = createHash('sha1')
        .update(JSON.stringify([tree, this.truncateTree]))
        .digest('hex');
      const etag = `W/"${listingSha}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ETag: etag });
        res.end();
        return true;
      }
      const treeUrl = `${this.apiBaseUrl}/repos/${this.owner}/${this.repo}/git/trees/${listingSha}`;
      return json(res, 200, { sha: listingSha, url: treeUrl, tree, truncated: this.truncateTree }, { ETag: etag });
    }

    // GET /repos/{o}/{r}/git/blobs/{sha}
    if (rest[0] === 'git' && rest[1] === 'blobs' && rest.length === 3) {
      const bytes = this.blobs.get(rest[2] ?? '');
      if (!bytes) return notFound(res);
      // GitHub wraps base64 at 60 columns.
      const content = (
        Buffer.from(bytes)
          .toString('base64')
          .match(/.{1,60}/g) ?? []
      ).join('\n');
      return json(res, 200, { sha: rest[2], size: bytes.byteLength, content, encoding: 'base64' });
    }

    // GET /repos/{o}/{r}/contents/{folder}?ref={branch}
    if (rest[0] === 'contents') {
      const ref = url.searchParams.get('ref') ?? this.branch;
      if (ref !== this.branch || rest.slice(1).join('/') !== this.folder) return notFound(res);
      if (this.contentsStatus !== null) return json(res, this.contentsStatus, { message: 'Contents listing failed' });
      const entries = this.treeEntries().map((e) => ({
        name: e.path,
        path: `${this.folder}/${e.path}`,
        sha: e.sha,
        size: e.size ?? 0,
        type: e.type === 'tree' ? 'dir' : e.mode === '120000' ? 'symlink' : 'file',
      }));
      // The real API silently stops at 1000 entries.
      return json(res, 200, entries.slice(0, 1000));
    }
    return notFound(res);
  }

  private routeRaw(res: ServerResponse, segments: string[]): Handled {
    // /raw/{owner}/{repo}/{branch…}/{folder…}/{name}
    const prefix = [this.owner, this.repo, ...this.branch.split('/'), ...this.folder.split('/').filter(Boolean)];
    const name = segments[prefix.length];
    const matches = !this.repoMissing && segments.length === prefix.length + 1 && prefix.every((p, i) => segments[i] === p);
    if (!matches || name === undefined || this.rawMissing.has(name)) return text(res, 404, '404: Not Found');
    const bytes = this.staleRaw.get(name) ?? this.files.get(name);
    if (!bytes) return text(res, 404, '404: Not Found');
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': bytes.byteLength });
    res.end(Buffer.from(bytes));
    return true;
  }
}

/** Marks a route as answered (lets routes `return json(…)` without returning a value from a void function). */
type Handled = true;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): Handled {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
  return true;
}

function text(res: ServerResponse, status: number, body: string): Handled {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
  return true;
}

function notFound(res: ServerResponse): Handled {
  return json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
}

/** A GitHub source pointed at the fake, remembering its ETag in `store` (1 ms retry backoff). */
export function fakeGitHubSource(gh: FakeGitHub, store: IssueStore, maxConcurrent = 4): IssueSource {
  return createGitHubSource({
    apiBaseUrl: gh.apiBaseUrl,
    rawBaseUrl: gh.rawBaseUrl,
    owner: gh.owner,
    repo: gh.repo,
    branch: gh.branch,
    folder: gh.folder,
    state: { get: (k) => store.getState(k), set: (k, v) => store.setState(k, v) },
    limiter: new Bottleneck({ maxConcurrent }),
    retryDelayMs: 1,
  });
}
