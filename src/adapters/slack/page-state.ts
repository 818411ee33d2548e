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
}

/** The button value for `state` (compact JSON; the renderer drops buttons whose value exceeds Slack's 2000). */
export function encodePageState(state: PageState): string {
  return JSON.stringify({ t: state.text, a: state.asOf, p: state.page });
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
  const { t, a, p } = data as Record<string, unknown>;
  if (typeof t !== 'string' || typeof a !== 'string' || !isIsoDate(a)) return null;
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 9999) return null;
  return { text: t, asOf: a, page: p };
}
