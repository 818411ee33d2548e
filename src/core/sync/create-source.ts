/**
 * Picks the configured source: a local folder when one is set, otherwise
 * upstream GitHub (with ETags remembered in the store).
 */
import Bottleneck from 'bottleneck';
import type { IssueStore } from '../store/store.js';
import { createGitHubSource } from './github-source.js';
import { createLocalSource } from './local-source.js';
import type { IssueSource } from './source.js';

/** Where upstream TWIR lives on GitHub (or a server that speaks its API). */
export interface GitHubSettings {
  apiBaseUrl: string;
  rawBaseUrl: string;
  owner: string;
  repo: string;
  branch: string;
  folder: string;
  token: string | null;
}

export interface SourceSettings {
  localSource: string | null;
  github: GitHubSettings;
  downloadConcurrency: number;
}

export function createSource(settings: SourceSettings, store: IssueStore, fetchImpl?: typeof fetch): IssueSource {
  const state = { get: (k: string) => store.getState(k), set: (k: string, v: string) => store.setState(k, v) };
  if (settings.localSource) return createLocalSource(settings.localSource, { state });
  const gh = settings.github;
  return createGitHubSource({
    ...gh,
    token: gh.token ?? undefined,
    state,
    limiter: new Bottleneck({ maxConcurrent: settings.downloadConcurrency }),
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}
