/**
 * GitHub (rust-lang/this-week-in-rust by default) as an `IssueSource`.
 *
 * One request lists the folder: `GET /repos/{o}/{r}/git/trees/{branch}:{folder}` (git's `<rev>:<path>` tree-ish
 * picks the sub-tree directly, so the listing is one folder, not the whole repository). Each entry's `sha` is the
 * git blob SHA-1, which is what change detection compares. The listing is conditional (`If-None-Match` with the
 * stored ETag): an unchanged upstream answers 304, which costs nothing against the rate limit when authenticated.
 * Files are read from raw.githubusercontent.com, which is not API-rate-limited, and every read is checked against
 * the listed sha; on mismatch (raw is CDN-cached for minutes after a push) or 404 (the branch moved on since the
 * listing), the exact blob is fetched by sha from the API instead.
 *
 * All requests go through the injected Bottleneck limiter, one attempt per job, so backoff sleeps never hold a
 * concurrency slot. Nothing here reads the environment; configuration is passed in.
 */
import type Bottleneck from 'bottleneck';
import { RateLimitError, SourceError, SourceHttpError } from './errors.js';
import { IssueFileRejected, oversize } from './issue-file-limits.js';
import {
  gitBlobSha,
  type IssueSource,
  isIssueFileName,
  type ListOptions,
  type ReadOptions,
  type SourceFile,
  type SourceListing,
  type SourceState,
  sortFiles,
} from './source.js';

/** Configuration for `createGitHubSource`. */
export interface GitHubSourceOptions {
  /** REST API root; default `https://api.github.com` (GitHub Enterprise: `https://host/api/v3`). */
  apiBaseUrl?: string;
  /** Raw file host; default `https://raw.githubusercontent.com`. */
  rawBaseUrl?: string;
  owner: string;
  repo: string;
  branch: string;
  /** Folder inside the repository, e.g. `content`; empty for the repository root. */
  folder: string;
  /** Sent as `Authorization: Bearer …`, only to the API and raw hosts (never to a redirect elsewhere). */
  token?: string;
  /** Where the tree ETag is remembered between runs (see `SourceListing.commit`). */
  state: SourceState;
  fetch?: typeof fetch;
  /** Bounds concurrency; the caller creates it (e.g. `new Bottleneck({ maxConcurrent: 4 })`). */
  limiter: Bottleneck;
  /** Extra attempts after a 5xx or network error; default 3. */
  retries?: number;
  /** First backoff delay; doubles per retry. Default 1000 ms. */
  retryDelayMs?: number;
  /** Per-request timeout (a hung connection counts as a network error and is retried). Default 30 000 ms. */
  timeoutMs?: number;
  /** Injected so tests do not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Clock for `retry-after` arithmetic; injected in tests. */
  now?: () => number;
}

/** The contents API lists at most this many entries of a directory, silently dropping the rest. */
const CONTENTS_API_LIMIT = 1000;
const MAX_REDIRECTS = 5;
const USER_AGENT = 'twir-bot';

/** A fully read HTTP response (the body is read inside the limiter job so downloads count against concurrency). */
interface HttpResult {
  status: number;
  headers: Headers;
  body: Uint8Array;
  url: string;
}

/** Creates the GitHub source. Listing costs one API request (two when the tree is truncated). */
export function createGitHubSource(options: GitHubSourceOptions): IssueSource {
  const api = trimSlash(options.apiBaseUrl ?? 'https://api.github.com');
  const raw = trimSlash(options.rawBaseUrl ?? 'https://raw.githubusercontent.com');
  const { owner, repo, branch, token, state, limiter } = options;
  const folder = options.folder.replace(/^\/+|\/+$/g, '');
  const doFetch = options.fetch ?? fetch;
  const retries = options.retries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const now = options.now ?? Date.now;
  const trustedOrigins = new Set([new URL(api).origin, new URL(raw).origin]);
  const repoPath = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  const where = `${owner}/${repo}@${branch}${folder ? `:${folder}` : ''}`;

  // `<branch>:<folder>`: each part percent-encoded per path segment; the `:` and `/` separators stay literal
  // (both are legal in a URL path, and GitHub resolves the tree-ish from them).
  const treeUrl = `${api}${repoPath}/git/trees/${encodePath(branch)}${folder ? `:${encodePath(folder)}` : ''}`;
  const contentsUrl = `${api}${repoPath}/contents/${encodePath(folder)}?ref=${encodeURIComponent(branch)}`;
  const etagKey = `github.tree-etag ${treeUrl}`;

  const apiHeaders: Record<string, string> = {
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28',
    'User-Agent': USER_AGENT,
  };
  const rawHeaders: Record<string, string> = { 'User-Agent': USER_AGENT };
  if (token) {
    apiHeaders.Authorization = `Bearer ${token}`;
    rawHeaders.Authorization = `Bearer ${token}`;
  }

  /** One attempt: fetch, following redirects by hand so the token never leaves the trusted hosts. */
  async function attempt(url: string, headers: Record<string, string>, maxBytes: number): Promise<HttpResult> {
    let current = url;
    let currentHeaders = headers;
    for (let hop = 0; ; hop++) {
      const response = await doFetch(current, { headers: currentHeaders, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && response.status !== 304 && location && hop < MAX_REDIRECTS) {
        await response.body?.cancel();
        current = new URL(location, current).toString();
        if (!trustedOrigins.has(new URL(current).origin)) {
          const { Authorization: _dropped, ...rest } = currentHeaders;
          currentHeaders = rest;
        }
        continue;
      }
      const body = await readBody(response, maxBytes);
      return { status: response.status, headers: response.headers, body, url: current };
    }
  }

  /**
   * GET with retries: 5xx and network errors back off exponentially (retryDelayMs · 2^n) up to `retries` extra
   * attempts; a rate limit throws at once (GitHub asks clients not to retry before the reset). Any other status
   * is returned for the caller to interpret.
   */
  async function get(url: string, headers: Record<string, string>, maxBytes = Number.POSITIVE_INFINITY): Promise<HttpResult> {
    for (let n = 0; ; n++) {
      let result: HttpResult;
      try {
        result = await limiter.schedule(() => attempt(url, headers, maxBytes));
      } catch (error) {
        // Too large is what the file is, not a network hiccup: retrying would download it again.
        if (error instanceof IssueFileRejected) throw error;
        if (n < retries) {
          await sleep(retryDelayMs * 2 ** n);
          continue;
        }
        throw new SourceHttpError(
          `Could not reach GitHub (${url}) after ${n + 1} attempts: ${errorText(error)}. Check the network and try again.`,
          null,
          url,
          { cause: error },
        );
      }
      const limited = rateLimitError(result, Boolean(token), now());
      if (limited) throw limited;
      if (result.status >= 500) {
        if (n < retries) {
          await sleep(retryDelayMs * 2 ** n);
          continue;
        }
        throw new SourceHttpError(
          `GitHub answered HTTP ${result.status} for ${url} after ${n + 1} attempts${gitHubMessage(result)}. GitHub may be having trouble; try again later.`,
          result.status,
          url,
        );
      }
      return result;
    }
  }

  /** Turns statuses no caller handles specially into errors that say what to fix. */
  function failure(result: HttpResult, what: string): SourceHttpError {
    if (result.status === 401) {
      return new SourceHttpError(
        `GitHub rejected the token (HTTP 401) while ${what}. Check GITHUB_TOKEN, or unset it for public repositories.`,
        401,
        result.url,
      );
    }
    return new SourceHttpError(
      `GitHub answered HTTP ${result.status} while ${what} (${result.url})${gitHubMessage(result)}.`,
      result.status,
      result.url,
    );
  }

  /** The contents API listing (used when the tree is truncated): name + blob sha for up to 1000 entries. */
  async function listViaContents(): Promise<{ files: SourceFile[]; full: boolean }> {
    const result = await get(contentsUrl, apiHeaders);
    if (result.status !== 200) throw failure(result, `listing ${where} via the contents API`);
    const entries = parseJson(result);
    if (!Array.isArray(entries)) throw unexpected(result, 'a directory listing (array)');
    const files: SourceFile[] = [];
    for (const entry of entries) {
      if (!isRecord(entry) || entry.type !== 'file' || typeof entry.name !== 'string' || typeof entry.sha !== 'string') continue;
      if (isIssueFileName(entry.name)) files.push({ name: entry.name, sha: entry.sha });
    }
    return { files, full: entries.length < CONTENTS_API_LIMIT };
  }

  /** Fetches a blob by sha from the API (exact bytes, whatever the branch or CDN say now). */
  async function readBlob(file: SourceFile, maxBytes: number): Promise<Uint8Array> {
    const url = `${api}${repoPath}/git/blobs/${encodeURIComponent(file.sha)}`;
    // The blob arrives as base64 in JSON: 4/3 of the bytes plus a little JSON around them.
    const result = await get(url, apiHeaders, Number.isFinite(maxBytes) ? Math.ceil((maxBytes * 4) / 3) + 4096 : maxBytes);
    if (result.status !== 200) throw failure(result, `reading ${file.name} (blob ${file.sha}) from ${owner}/${repo}`);
    const blob = parseJson(result);
    if (!isRecord(blob) || typeof blob.content !== 'string') throw unexpected(result, 'a blob');
    const bytes = blob.encoding === 'base64' ? new Uint8Array(Buffer.from(blob.content, 'base64')) : new TextEncoder().encode(blob.content);
    const refusal = oversize(bytes.byteLength, maxBytes);
    if (refusal) throw refusal;
    if (gitBlobSha(bytes) !== file.sha) {
      throw new SourceHttpError(`GitHub returned blob bytes for ${file.name} that do not hash to ${file.sha}.`, result.status, url);
    }
    return bytes;
  }

  return {
    description: `GitHub ${where}`,

    async list(listOptions?: ListOptions): Promise<SourceListing> {
      const storedEtag = listOptions?.conditional === false ? undefined : state.get(etagKey);
      const headers = storedEtag ? { ...apiHeaders, 'If-None-Match': storedEtag } : apiHeaders;
      const result = await get(treeUrl, headers);

      if (result.status === 304) return { notModified: true, files: [], complete: false, warnings: [], commit() {} };
      if (result.status === 404) {
        throw new SourceHttpError(
          `GitHub has no folder "${folder || '/'}" on branch "${branch}" of ${owner}/${repo} (HTTP 404 for ${treeUrl}). ` +
            `Check the configured owner/repo, branch and folder${token ? '' : '; a private repository also answers 404 without GITHUB_TOKEN'}.`,
          404,
          treeUrl,
        );
      }
      if (result.status !== 200) throw failure(result, `listing ${where}`);

      const body = parseJson(result);
      if (!isRecord(body) || !Array.isArray(body.tree)) throw unexpected(result, 'a git tree');
      let files: SourceFile[] = [];
      for (const entry of body.tree) {
        if (!isRecord(entry) || typeof entry.path !== 'string' || typeof entry.sha !== 'string') continue;
        // Symlinks (mode 120000) are blobs too, but their bytes are the link target, not an issue.
        if (entry.type !== 'blob' || entry.mode === '120000') continue;
        if (!isIssueFileName(entry.path)) continue;
        files.push(
          typeof entry.size === 'number' ? { name: entry.path, sha: entry.sha, size: entry.size } : { name: entry.path, sha: entry.sha },
        );
      }

      let complete = true;
      const warnings: string[] = [];
      if (body.truncated === true) {
        // The tree API caps its answer and sets `truncated`; the contents API lists one directory (≤ 1000 entries).
        try {
          const viaContents = await listViaContents();
          const byName = new Map(files.map((f) => [f.name, f]));
          for (const f of viaContents.files) byName.set(f.name, f);
          files = [...byName.values()];
          if (!viaContents.full) {
            complete = false;
            warnings.push(
              `GitHub truncated the tree of ${where} and the contents API lists at most ${CONTENTS_API_LIMIT} entries; some files may be missing, so nothing will be deleted this run.`,
            );
          }
        } catch (error) {
          if (!(error instanceof SourceError)) throw error;
          complete = false;
          warnings.push(
            `GitHub truncated the tree of ${where} and the contents API fallback failed (${error.message}); using the ${files.length} files the tree listed, and nothing will be deleted this run.`,
          );
        }
      }

      const etag = result.headers.get('etag');
      return {
        notModified: false,
        files: sortFiles(files),
        complete,
        warnings,
        commit() {
          // An incomplete listing must not become the 304 baseline: a later run may list what this one missed.
          if (complete && etag) state.set(etagKey, etag);
        },
      };
    },

    async read(file: SourceFile, readOptions: ReadOptions = {}): Promise<Uint8Array> {
      const maxBytes = readOptions.maxBytes ?? Number.POSITIVE_INFINITY;
      if (file.name.includes('/') || file.name === '..' || file.name === '.') {
        throw new SourceError(`Refusing to read "${file.name}": not a plain file name in ${where}.`);
      }
      const url = `${raw}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/${encodePath(branch)}/${
        folder ? `${encodePath(folder)}/` : ''
      }${encodeURIComponent(file.name)}`;
      const result = await get(url, rawHeaders, maxBytes);
      if (result.status === 200 && gitBlobSha(result.body) === file.sha) return result.body;
      // 200 with other bytes: the CDN still serves the previous version. 404: the file moved on after listing.
      if (result.status === 200 || result.status === 404) return readBlob(file, maxBytes);
      throw failure(result, `reading ${file.name} from ${where}`);
    },
  };
}

/**
 * The response body, refusing (IssueFileRejected) one larger than `maxBytes`
 * as soon as its Content-Length or the bytes received say so, so a huge file
 * is never held in memory. Error bodies are small and read the same way.
 */
async function readBody(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (!Number.isFinite(maxBytes) || !response.body) return new Uint8Array(await response.arrayBuffer());
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const early = response.ok && Number.isFinite(declared) ? oversize(declared, maxBytes) : null;
  if (early) {
    await response.body.cancel();
    throw early;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    // Leaving the loop by throwing cancels the stream: the rest is never downloaded.
    if (total > maxBytes && response.ok) throw oversize(total, maxBytes) as Error;
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

/**
 * The rate-limit error for a 403/429, or null when the 403 is something else (e.g. no access). GitHub's primary
 * limit sends `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (epoch seconds); secondary limits send
 * `retry-after` (seconds) or only a message mentioning the rate limit. A 429 is always a rate limit.
 */
function rateLimitError(result: HttpResult, authenticated: boolean, nowMs: number): RateLimitError | null {
  if (result.status !== 403 && result.status !== 429) return null;
  const remaining = result.headers.get('x-ratelimit-remaining');
  const retryAfter = result.headers.get('retry-after');
  const isLimit = result.status === 429 || remaining === '0' || retryAfter !== null || /rate limit/i.test(gitHubMessage(result));
  if (!isLimit) return null;

  const candidates: number[] = [];
  const reset = Number(result.headers.get('x-ratelimit-reset') ?? Number.NaN);
  if (remaining === '0' && Number.isFinite(reset) && reset > 0) candidates.push(reset * 1000);
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    const at = Number.isFinite(seconds) ? nowMs + seconds * 1000 : Date.parse(retryAfter);
    if (Number.isFinite(at)) candidates.push(at);
  }
  const resetAt = candidates.length > 0 ? new Date(Math.max(...candidates)) : null;
  return new RateLimitError({ resetAt, status: result.status, url: result.url, authenticated });
}

/** `: <GitHub's message>` from a JSON error body, or '' (kept short; GitHub's messages are one sentence). */
function gitHubMessage(result: HttpResult): string {
  try {
    const body: unknown = JSON.parse(new TextDecoder().decode(result.body));
    if (isRecord(body) && typeof body.message === 'string') return `: ${body.message.slice(0, 200)}`;
  } catch {
    // Not JSON (raw host, proxies): no detail to add.
  }
  return '';
}

function parseJson(result: HttpResult): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(result.body));
  } catch (error) {
    throw new SourceHttpError(`GitHub sent a body that is not JSON for ${result.url}.`, result.status, result.url, { cause: error });
  }
}

function unexpected(result: HttpResult, expected: string): SourceHttpError {
  return new SourceHttpError(`GitHub sent an unexpected response for ${result.url} (expected ${expected}).`, result.status, result.url);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Percent-encodes each `/`-separated segment, keeping the slashes (branches like `release/1.0`, nested folders). */
function encodePath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map(encodeURIComponent)
    .join('/');
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
