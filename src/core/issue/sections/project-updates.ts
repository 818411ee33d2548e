/**
 * Numbers and reports from "Updates from the Rust Project": how many pull requests were
 * merged, and the weekly compiler performance triage (2020-06+).
 */
import type { ListItem, Nodes, RootContent } from 'mdast';
import type { ExtractContext } from '../context.js';
import { findLinks, findSection, plainText, sectionNodes } from '../mdast.js';
import { squash } from '../text.js';
import type { PerfCounts, PerfTriage } from '../types.js';

/**
 * The merged pull request count, as written:
 * - 2013–15: `There were 30 pull requests merged this week`, `A total of 63 PRs were merged`,
 *   `Only 51 PRs were merged this week`, `65 pull requests were merged this week`;
 * - 2015-09+: `447 pull requests were [merged in the last week][merged]`, once `181(!) pull
 *   requests` (2016-10) and `200 (!) pull requests` (2018-04).
 * A count covering two or three weeks (`… merged in the last two weeks`) is returned as written.
 * The first match in the document wins; null when no paragraph states a count.
 */
export function extractMergedPrCount(ctx: ExtractContext): number | null {
  for (const p of allParagraphs(ctx.root.children)) {
    // The number sits right before "pull requests"/"PRs", so "and 6 RFC PRs were merged" never matches.
    const m = /(\d[\d,]*)\s*(?:\(!\)\s*)?(?:pull requests|PRs)\s+(?:were\s+|have been\s+)?merged\b/i.exec(plainText(p));
    if (m) return Number((m[1] as string).replace(/,/g, ''));
  }
  return null;
}

/** Paragraphs anywhere (inside lists and blockquotes too), in document order. */
function allParagraphs(nodes: readonly Nodes[]): Nodes[] {
  const out: Nodes[] = [];
  for (const n of nodes) {
    if (n.type === 'paragraph') out.push(n);
    else if ('children' in n && n.type !== 'heading') out.push(...allParagraphs(n.children as Nodes[]));
  }
  return out;
}

/** One block of the triage section as text, with what kind of line it is. */
interface Block {
  kind: 'prose' | 'counts' | 'boilerplate';
  text: string;
}

/** A count as written: digits, a word, or `???` (2021-09: `??? of them in rollups`, not yet known). */
const NUMBER = '(?:\\d+|\\?{2,}|no|none|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)';
/**
 * One count phrase: `3 Regressions`, `4 Mixed`, `1 of them in rollups`, `none in rollups`,
 * `1 outstanding nag from last week`, `59 (artifact) comparisons made in total` (which may come
 * first, its counts on the next line of the same paragraph: 2021-08).
 */
const COUNT = `(?:${NUMBER}\\s+(?:of them\\s+)?(?:regressions?|improvements?|mixed(?:\\s+bags?)?|(?:in|on)\\s+rollups?|(?:artifact\\s+)?comparisons made in total|outstanding nags?(?:\\s+from last week)?))`;
/** A run of count phrases at the start of a block, and the rest. */
const COUNTS_PREFIX = new RegExp(`^(${COUNT}(?:\\s*[,;.]?\\s*(?:and\\s+)?${COUNT})*)[.,;]?\\s*(.*)$`, 'i');
const BOILERPLATE = /^(triage (was )?done by|revision range|\*?\*?summary\*?\*?:?$|(see the )?full report|this is a new section)/i;

/**
 * "Rust Compiler Performance Triage" (2020-06+). Layouts:
 * - 2020: `* [2020-07-07](…/triage/2020.md#2020-07-07). One unimportant regression …` — the
 *   bullet links the report; its trailing text (or a paragraph after it) is the summary.
 * - 2021+: prose paragraph(s), then `Triage done by **@simulacrum**.`, `Revision range: […](…)`,
 *   `**Summary**:`, a table, `2 Regressions, 4 Improvements, …`, `[Full report here](…)`.
 * `summary` is the first run of prose blocks (tables, count lines and the fixed lines skipped),
 * falling back to the count line; `author` is what follows "Triage done by", markup removed
 * (`@kobzol`, `@rylev and @simulacrum`); `reportUrl` is the first link of the block that says
 * "full report" (`[Full report here](…)`, 2024-04 `See full report [here](…)`), else the first
 * link into rustc-perf's `triage/` folder (2020). Null when the section is empty, a template
 * comment (`<!-- Perf results go here -->`) or `*No triage report this week*`.
 */
export function extractPerfTriage(ctx: ExtractContext): PerfTriage | null {
  const section = findSection(ctx.sections, [/\bperformance triage\b/]);
  if (!section) return null;
  const nodes = sectionNodes(section);
  // 2021-02 `*No triage report this week*`; a real summary may well read "No major changes this week."
  const blocks = nodes.flatMap(toBlocks).filter((b) => !/^no (triage|perf)|INSERT_[A-Z_]+|_HERE\b/i.test(b.text));
  const reportUrl = findReport(nodes, ctx);
  if (blocks.length === 0 && reportUrl === null) return null;
  const all = blocks.map((b) => b.text).join(' ');
  const author = /triage (?:was )?done by:?\s+(.+?)(?:\.(?:\s|$)|\s+revision range\b|$)/i.exec(all)?.[1] ?? null;
  const start = blocks.findIndex((b) => b.kind === 'prose');
  let summary = blocks.find((b) => b.kind === 'counts' && !/^\S+ (?:artifact )?comparisons/i.test(b.text))?.text ?? '';
  if (start >= 0) {
    const run: string[] = [];
    for (let i = start; i < blocks.length && blocks[i]?.kind === 'prose'; i++) run.push((blocks[i] as Block).text);
    summary = run.join(' ');
  }
  // The first count line that counts something (`59 comparisons made in total` alone does not).
  const counts =
    blocks
      .filter((b) => b.kind === 'counts')
      .map((b) => countsOf(b.text))
      .find((c) => c !== null) ?? null;
  return { author: author ? squash(author.replace(/\*+/g, '')) : null, summary, reportUrl, counts };
}

const WORD_NUMBERS: Record<string, number> = {
  no: 0,
  none: 0,
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};

/**
 * `0 Regressions, 6 Improvements, 7 Mixed; 4 of them in rollups` → the three counts (a regression or
 * improvement count not named is 0; mixed not named is null, as 2020 had no such category); null without any.
 */
function countsOf(text: string): PerfCounts | null {
  const counts: PerfCounts = { regressions: 0, improvements: 0, mixed: null };
  let found = false;
  for (const m of text.matchAll(new RegExp(`\\b(${NUMBER})\\s+(regressions?|improvements?|mixed)\\b`, 'gi'))) {
    const word = (m[1] as string).toLowerCase();
    const n = WORD_NUMBERS[word] ?? Number(word);
    const kind = (m[2] as string).toLowerCase();
    counts[kind.startsWith('regression') ? 'regressions' : kind.startsWith('improvement') ? 'improvements' : 'mixed'] = n;
    found = true;
  }
  return found ? counts : null;
}

function findReport(nodes: RootContent[], ctx: ExtractContext): string | null {
  const blocks = nodes.flatMap((n): Nodes[] => (n.type === 'list' ? n.children : [n]));
  for (const b of blocks) {
    if (/full report/i.test(plainText(b))) {
      const link = findLinks(b, ctx.defs)[0];
      if (link) return link.url;
    }
  }
  const links = findLinks(nodes as Nodes[], ctx.defs);
  // 2021–22 weeks without a report: the revision range compared on perf.rust-lang.org is the report.
  return (
    links.find((l) => /rustc-perf\/.*\btriage\//.test(l.url))?.url ??
    links.find((l) => /^https?:\/\/perf\.rust-lang\.org\/.*\bstart=/.test(l.url))?.url ??
    null
  );
}

function toBlocks(node: RootContent): Block[] {
  if (node.type === 'paragraph') return classify(plainText(node));
  if (node.type === 'list') return node.children.flatMap(itemBlocks);
  if (node.type === 'blockquote') return node.children.flatMap(toBlocks);
  // Tables, HTML comments, code: never part of the summary.
  return [];
}

/** 2020: `* [2020-09-08](…): 3 regressions, 0 improvements.` — the text after the date link. */
function itemBlocks(item: ListItem): Block[] {
  const text = plainText(item.children.filter((c) => c.type !== 'list')).replace(/^\d{4}-\d{2}-\d{2}\s*[.:,]?\s*/, '');
  return classify(text);
}

/**
 * Classifies a paragraph. One paragraph can hold several kinds when lines run together
 * (2020-12: `3 Regressions, 5 Improvements` then `Major event this week …`; 2021-05: prose
 * then `Triage done by …`), so a leading count run and a trailing "Triage done by" are split off.
 */
function classify(text: string): Block[] {
  const t = squash(text);
  if (t === '') return [];
  if (BOILERPLATE.test(t)) return [{ kind: 'boilerplate', text: t }];
  const by = t.search(/\btriage (was )?done by\b/i);
  if (by > 0) return [...classify(t.slice(0, by)), { kind: 'boilerplate', text: t.slice(by) }];
  const counts = COUNTS_PREFIX.exec(t);
  // Split only where a new sentence starts, so prose like "No regressions this week, …" stays whole.
  if (counts && /^([A-Z0-9]|$)/.test(counts[2] as string))
    return [{ kind: 'counts', text: counts[1] as string }, ...classify(counts[2] as string)];
  return [{ kind: 'prose', text: t }];
}
