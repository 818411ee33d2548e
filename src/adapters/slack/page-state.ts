/**
 * What a Prev/Next button carries: the command text, the as-of date of the
 * first answer (so every page answers the same question even if an issue is
 * published meanwhile) and the page to show. It lives in the button's
 * `value`, so any process can serve the click: nothing is kept in memory.
 */
import { isIsoDate } from '../../core/dates.js';

export interface PageState {
  text: string;
  asOf: string;
  page: number;
  /** Who asked (Slack user id): only they page the message itself; anyone else gets a private copy. */
  user?: string;
}

/** The button value for `state` (compact JSON; the renderer drops buttons whose value exceeds Slack's 2000). */
export function encodePageState(state: PageState): string {
  return JSON.stringify(
    state.user ? { t: state.text, a: state.asOf, p: state.page, u: state.user } : { t: state.text, a: state.asOf, p: state.page },
  );
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
  const { t, a, p, u } = data as Record<string, unknown>;
  if (typeof t !== 'string' || typeof a !== 'string' || !isIsoDate(a)) return null;
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 9999) return null;
  if (u !== undefined && (typeof u !== 'string' || !/^[A-Z0-9]{1,32}$/i.test(u))) return null;
  return u ? { text: t, asOf: a, page: p, user: u } : { text: t, asOf: a, page: p };
}
