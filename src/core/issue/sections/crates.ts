/**
 * "Crate of the Week": which crate(s) the issue featured, what they do, and who suggested them.
 *
 * The section exists from September 2015 on, as `# Crate of the Week` (2015–21),
 * `## Crate of the Week` (2021–) and twice as `# Crate & Quote of the Week` (Oct/Nov 2015).
 * Most weeks read "This week's crate is [name](url), a …", a few weeks name two or three
 * crates in one sentence or in a bullet list, and some weeks have none ("Sadly, we had no
 * nominations"). Crates are found by their links, so a week without a crate link yields nothing.
 *
 * The helpers at the bottom (`inlineText`, `sentenceRanges`, `thanksIn`, `editorPick`) are shared
 * with quote.ts, whose "Thanks to … for the suggestion" lines follow the same conventions.
 */
import type { Nodes, RootContent } from 'mdast';
import type { ExtractContext } from '../context.js';
import { type Definitions, findSections, ownContent } from '../mdast.js';
import { isPlaceholderUrl, squash } from '../text.js';
import type { CrateOfWeek } from '../types.js';

/** Heading keys: "crate of the week", "crates of the week", "crate of this week", "crate and quote of the week". */
const CRATE_HEADINGS = [/^crates? (and quote )?of (the|this) week$/];

/** "two crates", "three crates of the week", "multiple crates", "This week's crates are …". */
const SEVERAL = /\b(two|three|four|five|several|multiple)\b[^.!?]*\bcrates\b|\bcrates\s+are\b/i;

/**
 * Extracts the crate(s) of the week. Zero, one or several; a week with no nomination yields [].
 *
 * `description` is the clause after the crate's link with the separator (`, ` / ` - `) stripped
 * and the leading article kept ("a library of middlewares …"), up to the end of its sentence.
 * `suggestedBy` is the name(s) from "Thanks to X for the suggestion"; when several crates share
 * one thanks line ("Thanks to A and B for the suggestions!") every crate gets the whole "A and B".
 * Weeks the editor picked himself ("llogiq is pleased with his choice") credit the editor.
 */
export function extractCratesOfWeek(ctx: ExtractContext): CrateOfWeek[] {
  const out: CrateOfWeek[] = [];
  for (const section of findSections(ctx.sections, CRATE_HEADINGS)) {
    // Own nodes only: in 2024-02-21 a stray `#### Call for Testing` nests under this heading.
    const blocks = crateBlocks(section.nodes, ctx.defs);
    const crates = findCrates(blocks);
    const credit = creditOf(blocks);
    for (const c of crates) out.push({ ...c, suggestedBy: credit });
    const announced = blocks.some((b) => SEVERAL.test(b.text.slice(0, 2000)));
    if (announced && crates.length === 1) {
      ctx.diagnostics.push({ level: 'info', message: 'crate of the week: several crates announced, one found', where: section.heading });
    }
  }
  return out;
}

/** A paragraph or list item flattened to text, with its links' positions in that text. */
interface Block {
  text: string;
  links: InlineLink[];
  listItem: boolean;
}

function crateBlocks(nodes: readonly RootContent[], defs: Definitions): Block[] {
  const blocks: Block[] = [];
  for (const node of nodes) {
    if (node.type === 'paragraph') blocks.push({ ...inlineText(node.children, defs), listItem: false });
    else if (node.type === 'list') {
      // 2019-11-12: "This week has multiple crates:" then one bullet per crate.
      for (const item of node.children) blocks.push({ ...inlineText(ownContent(item), defs), listItem: true });
    }
    // Blockquotes (2015 nomination testimonials, the 2015 combined quote) and code are never crates.
  }
  return blocks;
}

type Found = Omit<CrateOfWeek, 'suggestedBy'>;

function findCrates(blocks: Block[]): Found[] {
  const found: Found[] = [];
  let several = false;
  for (const [i, block] of blocks.entries()) {
    const sentences = sentenceRanges(block.text);
    const candidates = block.links.filter((l) => isCrateLink(l) && !inCreditSentence(block.text, sentences, l));
    if (SEVERAL.test(block.text.slice(0, 2000))) several = true;
    if (candidates.length === 0) continue;
    if (block.listItem && startsWithLink(block, candidates[0] as InlineLink) && (several || nextIsLinkItem(blocks, i))) {
      // A bullet per crate: "* [accurate](…), accumulator types for …".
      found.push(crateAt(block, sentences, candidates[0] as InlineLink, null, blocks.slice(i + 1)));
      several = true;
      continue;
    }
    if (found.length > 0) break;
    if (!several) {
      found.push(crateAt(block, sentences, candidates[0] as InlineLink, null, blocks.slice(i + 1)));
      break;
    }
    // Several crates in one sentence: "[a](…), a …, and [b](…), a …" / "[a](…) gets you …, while [b](…) is …".
    // A link counts when it opens a clause, which rules out links inside descriptions ("a crate to call [Julia](…)").
    const opening = candidates.filter((l, k) => k === 0 || opensClause(block.text.slice(0, l.start)));
    for (const [k, link] of opening.entries()) found.push(crateAt(block, sentences, link, opening[k + 1] ?? null, []));
    break;
  }
  return found;
}

function crateAt(block: Block, sentences: Range[], link: InlineLink, next: InlineLink | null, later: Block[]): Found {
  const sentence = sentences.find((s) => s.start <= link.start && link.start < s.end) ?? { start: 0, end: block.text.length };
  let description = cleanDescription(block.text.slice(link.end, next ? Math.min(next.start, sentence.end) : sentence.end));
  if (description === '' && next === null) {
    // 2015-09-07: "the most votes went to [Serde](…)." and a later paragraph "[**Serde**](…) (de)serializes …".
    const again = later.find((b) => b.links[0] && b.links[0].url === link.url && startsWithLink(b, b.links[0]));
    if (again) {
      const first = sentenceRanges(again.text)[0];
      description = cleanDescription(again.text.slice((again.links[0] as InlineLink).end, first?.end));
    }
  }
  if (description === '' && next === null) {
    // 2015-11-09: "This week's Crate of the Week is [ramp](…). Ramp supplies …" — the next sentence, unless it is the thanks.
    const following = sentences.find((s) => s.start >= sentence.end);
    if (following && !isCreditSentence(block.text.slice(following.start, following.end)) && !hasSubmitLink(block, following)) {
      description = cleanDescription(block.text.slice(following.start, following.end));
    }
  }
  return { name: crateName(link.text), url: link.url, description };
}

function crateName(text: string): string {
  return squash(text.replace(/[`*]/g, ''));
}

/** Trims the separator before the clause ("`, a …`", "` - for …`") and the joiner after it ("`, and`"). */
function cleanDescription(text: string): string {
  return (
    squash(text)
      // 2016-11-22: "[cargo-benchcmp](…). `cargo-benchcmp` generates …" — no clause, so the next sentence.
      .replace(/^[\s,:;.–—-]+/, '')
      .replace(/(?:[\s,;]+(?:and|while))?[\s,;:.]*$/, '')
      .trim()
  );
}

function opensClause(before: string): boolean {
  return /(^|[:,.!]|\band|\bwhile|\bthere'?s|\bare|\bis)[\s*_]*$/i.test(before);
}

function startsWithLink(block: Block, link: InlineLink): boolean {
  return block.text.slice(0, link.start).replace(/[\s*_]/g, '') === '';
}

function nextIsLinkItem(blocks: Block[], i: number): boolean {
  const next = blocks[i + 1];
  return next?.listItem === true && next.links[0] !== undefined && startsWithLink(next, next.links[0]);
}

/**
 * Links that can be a crate: not a person (forum, reddit and GitHub profiles, tweets), not the
 * nomination thread, not "[Submit your suggestions and votes for next week][submit_crate]".
 */
function isCrateLink(link: InlineLink): boolean {
  const url = link.url.trim();
  if (isPlaceholderUrl(url) || /^(please\s+)?submit\b/i.test(link.text.trim())) return false;
  if (/users\.rust-lang\.org\/(u|users)\/|users\.rust-lang\.org\/t\/crate-of-the-week|reddit\.com\/(u|user)\//i.test(url)) return false;
  if (/^https?:\/\/(www\.|mobile\.)?(twitter|x)\.com\//i.test(url)) return false;
  // A GitHub profile (`https://github.com/llogiq`) names a person; a crate lives at owner/repo.
  return !/^https?:\/\/(www\.)?github\.com\/[^/?#]+\/?$/i.test(url);
}

function hasSubmitLink(block: Block, range: Range): boolean {
  return block.links.some((l) => l.start >= range.start && l.start < range.end && /^(please\s+)?submit\b/i.test(l.text.trim()));
}

function inCreditSentence(text: string, sentences: Range[], link: InlineLink): boolean {
  const s = sentences.find((r) => r.start <= link.start && link.start < r.end);
  return s !== undefined && isCreditSentence(text.slice(s.start, s.end));
}

/** The first credit in the section: a thanks line, else the editor's own pick. */
function creditOf(blocks: Block[]): string | null {
  for (const b of blocks) {
    const who = thanksIn(b.text);
    if (who !== null) return who;
  }
  for (const b of blocks) {
    const who = editorPick(b.text);
    if (who !== null) return who;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Shared with quote.ts: inline text with link offsets, sentences, and credit lines.

/** A link inside flattened inline text: `[start, end)` is where its text sits. */
export interface InlineLink {
  start: number;
  end: number;
  url: string;
  text: string;
}

export interface Range {
  start: number;
  end: number;
}

/** Stands for a hard line break (`  \n`, `<br>`) in `inlineText(…, true)`; soft breaks stay `\n`. */
export const HARD_BREAK = '\u2028';

/**
 * Flattens inline content to one line of text (soft breaks become spaces) and records where each
 * link (inline or resolved reference, also inside `**…**`) sits in it. With `keepBreaks`, soft
 * breaks stay `\n` and hard breaks become `HARD_BREAK`, for callers that care about lines.
 */
export function inlineText(nodes: readonly Nodes[], defs: Definitions, keepBreaks = false): { text: string; links: InlineLink[] } {
  let text = '';
  const links: InlineLink[] = [];
  const visit = (n: Nodes, depth = 0): void => {
    // Real inline markup nests a few levels; the cap keeps odd input from exhausting the stack.
    if (depth > 64) return;
    switch (n.type) {
      case 'text':
        text += keepBreaks ? n.value : n.value.replace(/\n/g, ' ');
        return;
      case 'inlineCode':
        text += n.value;
        return;
      case 'break':
        text += keepBreaks ? HARD_BREAK : ' ';
        return;
      case 'image':
        text += n.alt ?? '';
        return;
      case 'html':
        if (/^<br\b/i.test(n.value)) text += keepBreaks ? HARD_BREAK : ' ';
        return;
      case 'link':
      case 'linkReference': {
        const url = n.type === 'link' ? n.url : defs.get(n.identifier);
        const start = text.length;
        for (const c of n.children) visit(c as Nodes, depth + 1);
        if (url !== undefined) links.push({ start, end: text.length, url, text: squash(text.slice(start)) });
        return;
      }
      case 'paragraph':
        if (text !== '') text += ' ';
        for (const c of n.children) visit(c, depth + 1);
        return;
      default:
        if ('children' in n) for (const c of n.children as Nodes[]) visit(c, depth + 1);
    }
  };
  for (const n of nodes) visit(n);
  return { text, links };
}

const ABBREVIATION = /^(e\.g|i\.e|etc|vs|cf|ca|approx|incl|prof|dr|mr|mrs|ms|st|jr|sr|inc|ltd|no)$/i;

/** A thanks line starts a new sentence even without a full stop before it (2017-09-12 ends the clause with a comma, 2019-07-16 with nothing). */
const THANKS_AHEAD = /^\s*[*_]*Thanks?\b/;

/**
 * Splits text into sentences at `.`, `!` or `?` followed by space and a capital, a bracket or
 * markup. Abbreviations ("e.g.", "Prof.") and initials ("Daniel P. Clark", "H.K.") do not end one.
 */
export function sentenceRanges(text: string): Range[] {
  const out: Range[] = [];
  const boundary = /[.!?]+["')\]]*\s+(?=[\p{Lu}[`*_"“(<\d])|[,;:]?\s+(?=[*_]*Thanks?\s+(?:to|you|go|again)\b|[*_]*Thanks,)/gu;
  let start = 0;
  for (let m = boundary.exec(text); m !== null; m = boundary.exec(text)) {
    const end = m.index + m[0].length;
    const word = /([\p{L}\p{N}.'-]+)$/u.exec(text.slice(start, m.index))?.[1] ?? '';
    const abbreviated = ABBREVIATION.test(word) || /^(\p{Lu}\.)*\p{Lu}$/u.test(word);
    // "by [Huon W](…). Thanks go to …" (2015-11-02): an initial, but the thanks still starts a sentence.
    if (abbreviated && !THANKS_AHEAD.test(text.slice(end))) continue;
    if (m.index <= start) continue;
    out.push({ start, end });
    start = end;
  }
  if (start < text.length) out.push({ start, end: text.length });
  return out;
}

/** "Thanks to …", "Thanks go to …", "Thank you, …", "Thanks, …" at the start of a sentence. */
export function isCreditSentence(sentence: string): boolean {
  return /^\s*[*_]*thanks?\b/i.test(sentence);
}

/**
 * Who a "Thanks to X for the suggestion" sentence credits, without links: "Aleksey Sidorov",
 * "Predrag Gruevski and Matthias Beyer". A thanks for a self-suggestion with no name gives `self`.
 */
export function thanksIn(text: string): string | null {
  for (const r of sentenceRanges(text)) {
    const sentence = squash(text.slice(r.start, r.end));
    if (!isCreditSentence(sentence)) continue;
    const rest = sentence
      .replace(/^[*_]*thanks?(\s+you)?[,!]?\s+((go(es)?|again|also|once more)\s+)*(to\s+)?/i, '')
      // 2015–16: "Thanks to Reddit user [gbersac](…)", "Thanks to redditor [protestor](…)".
      .replace(/^(reddit\s+user|redditor|user)\s+/i, '');
    // The name ends at "for the suggestion", ", who had this to say", or the sentence's end.
    const name = rest
      .split(/\s+for\b|,?\s+who\b|\s+on\s+(?=reddit|twitter|the\b)/i)[0]
      ?.replace(/[\s,.!?:;*_]+$/, '')
      .trim();
    if (name && !/^(for|the|all|everyone|you)\b/i.test(name)) return name;
    if (/self-?(suggest|nominat|submi)/i.test(sentence)) return 'self';
  }
  return null;
}

/**
 * The editor named as having picked the item himself, for weeks without a nomination:
 * "llogiq is pleased with his choice", "[llogiq](…) shamelessly used his recent self-suggestion",
 * "This week's crate, as decreed by llogiq, is …", "(selected by llogiq per one unanimous vote)".
 */
export function editorPick(text: string): string | null {
  // Credit lines are short; the cap keeps the lazy patterns below linear on a pathological paragraph.
  const t = squash(text.slice(0, 2000));
  const patterns = [
    /\b(?:decreed|selected|picked|chosen)\s+by\s+([\p{L}][\p{L}\d_-]*)/giu,
    // The lookahead keeps matches from swallowing the name: "As there was no suggestion, llogiq is pretty thankful to himself".
    /([\p{L}][\p{L}\d_-]*)\s+(?:\([^)]*\)\s+)?(?=(?:(?:again|still|also)\s+)?(?:is|was|stays|remains|would|still|feels|has|thanks|came|chose|shamelessly|unanimously|singlehandedly)\b[^.!]*?\b(?:his|himself|he|pleased|happy|glad|content|satisfied|thankful|overjoyed|smug|self-\w+|suggest\w*|offer|chose|found|up with)\b)/giu,
  ];
  for (const pattern of patterns) {
    for (const m of t.matchAll(pattern)) {
      const name = m[1] as string;
      if (!/^(this|that|it|he|she|who|which|week|crate|quote|choice|there|what|everyone|rust)$/i.test(name)) return name;
    }
  }
  return null;
}
