/**
 * Typed errors a source throws, so `twir sync` can tell "wait and retry later" from "fix your configuration".
 *
 * Every message says what to do next; none ever includes a token.
 */

/** Base class of every error an `IssueSource` throws on purpose. */
export class SourceError extends Error {
  override name = 'SourceError';
}

/** Options for `RateLimitError`. */
export interface RateLimitErrorOptions {
  /** When the limit lifts (from `x-ratelimit-reset` or `retry-after`); null when GitHub did not say. */
  resetAt: Date | null;
  status: number;
  url: string;
  /** Whether the request carried a token: without one, the advice is to set GITHUB_TOKEN. */
  authenticated: boolean;
}

/**
 * GitHub refused a request for rate limiting (403/429). Never retried automatically: GitHub asks clients not to
 * retry before the reset time, and may ban integrations that keep trying.
 */
export class RateLimitError extends SourceError {
  override name = 'RateLimitError';
  readonly resetAt: Date | null;
  readonly status: number;
  readonly url: string;

  constructor(options: RateLimitErrorOptions) {
    const when = options.resetAt ? `resets at ${formatUtcTime(options.resetAt)}` : 'try again in a few minutes';
    const advice = options.authenticated
      ? 'Wait until then, or use a token with a higher limit.'
      : 'Set GITHUB_TOKEN to raise the limit (60 requests/hour without a token, 5,000 with one).';
    super(`GitHub rate limit reached (HTTP ${options.status}); ${when}. ${advice}`);
    this.resetAt = options.resetAt;
    this.status = options.status;
    this.url = options.url;
  }
}

/**
 * An HTTP request failed for good: a 4xx that retrying cannot fix, a 5xx or network error that outlasted the
 * retry budget, or an unexpected response body. `status` is null when no response arrived (network error).
 */
export class SourceHttpError extends SourceError {
  override name = 'SourceHttpError';
  readonly status: number | null;
  readonly url: string;

  constructor(message: string, status: number | null, url: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.url = url;
  }
}

/** The configured source does not exist (a missing local folder); the message names the path and the setting. */
export class SourceNotFoundError extends SourceError {
  override name = 'SourceNotFoundError';
}

/** `14:05 UTC`, or `2026-03-10 14:05 UTC` when the moment is not today (UTC), so the time is never ambiguous. */
function formatUtcTime(date: Date): string {
  const iso = date.toISOString();
  const time = `${iso.slice(11, 16)} UTC`;
  return iso.slice(0, 10) === new Date().toISOString().slice(0, 10) ? time : `${iso.slice(0, 10)} ${time}`;
}
