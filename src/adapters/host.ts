/**
 * What `twir serve` hands every chat adapter, and what it gets back. The
 * host (operator `serve`) opens the store once, starts each configured
 * adapter, shares one HTTP listener between them, and on SIGINT/SIGTERM stops
 * them (no new interactions, in-flight ones finish) before closing the store.
 */
import type { Config } from '../config.js';
import type { Archive } from '../core/archive/archive.js';
import type { IssueStore } from '../core/store/store.js';
import type { Logger } from '../logger.js';
import type { SharedState } from '../shared-state/shared-state.js';
import type { HttpListener } from './http-listener.js';

export interface AdapterContext {
  config: Config;
  store: IssueStore;
  /** Subscriptions, deliveries, page states, leases, Slack installations: PostgreSQL when DATABASE_URL is set. */
  shared: SharedState;
  archive: Archive;
  log: Logger;
  /** The injected clock. */
  now: () => Date;
  /** Register HTTP routes here; the host listens on `config.port` once any adapter did. */
  http: HttpListener;
}

export interface RunningAdapter {
  /** "discord (gateway)", "slack (socket mode)", …: for the start-up line. */
  readonly description: string;
  /** For adapters that keep a connection (gateway, Socket Mode): whether it is up now (`/readyz`). */
  connected?: () => boolean;
  /** Stop taking new interactions and resolve once those in flight are answered. */
  stop(): Promise<void>;
  /**
   * Resolves with a one-line reason if the adapter can no longer answer
   * (Discord closed the gateway for good: token revoked); the host then
   * stops and exits non-zero rather than run on deaf. Never rejects.
   */
  readonly failed?: Promise<string>;
}

export type StartAdapter = (ctx: AdapterContext) => Promise<RunningAdapter>;
