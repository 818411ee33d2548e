/**
 * What a Prev/Next button carries: the command text, the as-of date of the
 * first answer and the newest issue number it saw (so every page answers the
 * same question even if an issue dated the same day is published meanwhile)
 * and the page to show. It lives in the button's
 * `value`, so any process can serve the click: nothing is kept in memory.
 */
import { isIsoDate } from '../../core/dates.js';

export interface PageState {
  text: string;
  asOf: string;
  page: number;
  /** Who asked (Slack user id): only they page the message itself; anyone else gets a private copy. */
  user?: string;
  /** The newest issue number the first page saw (`PageCursor.pin`); absent in older buttons. */
  pin?: number;
}

/** The button value for `state` (compact JSON; the renderer drops buttons whose value exceeds Slack's 2000). */
export function encodePageState(state: PageState): string {
  return JSON.stringify({
    t: state.text,
    a: state.asOf,
    p: state.page,
    ...(state.user ? { u: state.user } : {}),
    ...(state.pin !== undefined ? { n: state.pin } : {}),
  });
}

/** The state in a button value, or null for anything this version did not write (an old or forged value). */
export function decodePageState(value: unknown): PageState | null {
  if (typeof value !== 'string') return null;
  let data: unknown;
  try {
    data = JSON.parse(value);
  } catch {
    return null;
  }
  if (data === null || typeof data !== 'object') return null;
  const { t, a, p, u, n } = data as Record<string, unknown>;
  if (typeof t !== 'string' || typeof a !== 'string' || !isIsoDate(a)) return null;
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 9999) return null;
  if (u !== undefined && (typeof u !== 'string' || !/^[A-Z0-9]{1,32}$/i.test(u))) return null;
  const pin = typeof n === 'number' && Number.isInteger(n) && n >= 0 ? { pin: n } : {};
  return { text: t, asOf: a, page: p, ...(u ? { user: u } : {}), ...pin };
}
