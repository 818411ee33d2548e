/**
 * Bounded Damerau-Levenshtein distance (optimal string alignment: insert,
 * delete, substitute, swap two neighbours), for typo correction.
 *
 * Bounded because callers only care about distances up to 2: a row whose
 * minimum already exceeds the bound stops the computation, which keeps a scan
 * over a few hundred candidate terms in the tens of microseconds.
 */

const MAX_LEN = 64;
let rowA = new Int32Array(MAX_LEN + 1);
let rowB = new Int32Array(MAX_LEN + 1);
let rowC = new Int32Array(MAX_LEN + 1);

/**
 * The edit distance between `a` and `b` (UTF-16 units; search terms are
 * folded and mostly ASCII), or `max + 1` as soon as it is known to exceed `max`.
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0 || m === 0) return Math.max(n, m) <= max ? Math.max(n, m) : max + 1;
  if (m + 1 > rowA.length) {
    rowA = new Int32Array(m + 1);
    rowB = new Int32Array(m + 1);
    rowC = new Int32Array(m + 1);
  }
  // prev2 = row i-2, prev = row i-1, cur = row i.
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  const d = prev[m] as number;
  return d <= max ? d : max + 1;
}
