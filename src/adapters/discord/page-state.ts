/**
 * What a Prev/Next button remembers: the command, its arguments, the as-of
 * date of the first answer and the newest issue number it saw (so page 2
 * agrees with page 1 even if a new issue, dated the same day, lands in between). It travels in the button's `custom_id` when it fits
 * in Discord's 100 characters; otherwise it is saved under a short key in the
 * store's `state` table, so any process sharing the database can serve the
 * click (nothing lives in memory).
 */
import { createHash } from 'node:crypto';
import type { CommandArgs } from '../../core/commands/definition.js';
import type { IssueStore } from '../../core/store/store.js';
import type { PageStateStore } from '../../shared-state/shared-state.js';
import { sqlitePageStates } from '../../shared-state/sqlite-shared-state.js';
import { DISCORD_LIMITS } from './render-reply.js';

/** The arguments a page click re-runs. */
export interface PageState {
  command: string;
  args: CommandArgs;
  asOf: string;
  /** The newest issue number the first page saw (`PageCursor.pin`); absent in buttons made before it existed. */
  pin?: number;
}

/** Where long states go: the shared state's (src/shared-state), so any replica serves the click; a Map in tests. */
export type { PageStateStore } from '../../shared-state/shared-state.js';

/** Stored states older than this are forgotten; their buttons then say the page expired. */
export const PAGE_STATE_TTL_DAYS = 30;

const PREFIX = 'twir:p1';
const STATE_KEY = 'discord:page:';

/** The result of reading a custom_id: the state and page, or why not. */
export type DecodedPage = { ok: true; state: PageState; page: number } | { ok: false; reason: 'expired' | 'foreign' };

/** The custom_id of a button that opens `page` of `state`. */
export async function encodePage(state: PageState, page: number, store: PageStateStore, now: Date): Promise<string> {
  const fields = [state.command, state.asOf, state.args, ...(state.pin !== undefined ? [state.pin] : [])];
  const inline = `${PREFIX}:${page}:i${JSON.stringify(fields)}`;
  if (inline.length <= DISCORD_LIMITS.customId) return inline;
  const at = now.toISOString();
  const json = JSON.stringify({ ...state, at });
  // Same state, same key: paging back and forth reuses one row.
  const key = createHash('sha256').update(JSON.stringify(fields)).digest('base64url').slice(0, 22);
  await store.set(`${STATE_KEY}${key}`, json, at);
  return `${PREFIX}:${page}:s${key}`;
}

/** Reads a button's custom_id; never throws on a custom_id from elsewhere or an older version. */
export async function decodePage(customId: string, store: PageStateStore, now: Date): Promise<DecodedPage> {
  const m = /^twir:p1:(\d{1,4}):([is])(.*)$/s.exec(customId);
  if (!m) return { ok: false, reason: customId.startsWith('twir:') ? 'expired' : 'foreign' };
  const page = Math.max(1, Number(m[1]));
  try {
    if (m[2] === 'i') {
      const [command, asOf, args, pin] = JSON.parse(m[3] as string) as [unknown, unknown, unknown, unknown];
      return checked({ command, asOf, args, pin }, page);
    }
    const saved = await store.get(`${STATE_KEY}${m[3]}`);
    if (!saved) return { ok: false, reason: 'expired' };
    const parsed = JSON.parse(saved) as Record<string, unknown>;
    if (typeof parsed.at !== 'string' || Date.parse(parsed.at) < now.getTime() - PAGE_STATE_TTL_DAYS * 86_400_000)
      return { ok: false, reason: 'expired' };
    return checked(parsed, page);
  } catch {
    return { ok: false, reason: 'expired' };
  }
}

function checked(raw: Record<string, unknown>, page: number): DecodedPage {
  const { command, asOf, args, pin } = raw;
  if (typeof command !== 'string' || typeof asOf !== 'string' || !args || typeof args !== 'object' || Array.isArray(args))
    return { ok: false, reason: 'expired' };
  const clean: CommandArgs = {};
  for (const [k, v] of Object.entries(args)) if (typeof v === 'string' || typeof v === 'number') clean[k] = v;
  const pinned = typeof pin === 'number' && Number.isInteger(pin) && pin >= 0 ? { pin } : {};
  return { ok: true, state: { command, asOf, args: clean, ...pinned }, page };
}

/** The page-state store on the bot's SQLite database (the `state` key-value table; no schema change). */
export function storePageStates(store: IssueStore): PageStateStore {
  return sqlitePageStates(store);
}
