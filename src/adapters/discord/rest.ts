/**
 * The @discordjs/rest client every Discord call goes through (interaction
 * callbacks, edits, follow-ups, command registration, the digest's posts):
 * its per-route rate-limit buckets and `Retry-After` handling are the only
 * retry logic, none is hand-written here.
 */
import { REST, type RESTOptions } from '@discordjs/rest';
import type { DiscordConfig } from '../../config.js';

/** REST options from config: `rest.api` is DISCORD_API_BASE (a REST proxy, or a loopback fake in tests). */
export function discordRestOptions(config: Pick<DiscordConfig, 'apiBase'>): Partial<RESTOptions> {
  return { api: config.apiBase, version: '10' };
}

/** A REST client authorised with the bot token. Reuse one per process so the rate-limit buckets are shared. */
export function createDiscordRest(config: Pick<DiscordConfig, 'apiBase' | 'token'>): REST {
  return new REST(discordRestOptions(config)).setToken(config.token);
}

/** True when Discord refused the token (401 on login or on any authorised call). */
export function isUnauthorized(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { status?: unknown; code?: unknown };
  return e.status === 401 || e.code === 'TokenInvalid';
}

/** The one line printed when Discord rejects DISCORD_TOKEN. */
export const REJECTED_TOKEN =
  'DISCORD_TOKEN: Discord rejected the token (401 Unauthorized); copy a fresh one from the Bot page of your application';
