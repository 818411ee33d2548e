/**
 * "Quote of the Week": the quote, who said it (and where), and who suggested it.
 *
 * Formats by era, all under `# Quote of the Week` (`# Quotes of the Week` in January 2014,
 * `# Crate & Quote of the Week` twice in late 2015):
 * - 2014: `"…" - [kud1ing](url) on libc.rs` in one paragraph, or a blockquote whose last line is `— eddyb`;
 * - 2015: italic paragraphs `*"Dude, …"*` with the speaker after them (`— [Manish](url)` or on the
 *   next line, `Quxxy, from [/r/rust](url).`), or an IRC log in a code block;
 * - 2015–today: a blockquote, then `– [Sean Baxter on circle-lang.org](url)`, then
 *   `Thanks to [Collin Richards](url) for the suggestion!`.
 * The section is the last of the issue in most eras, so the footer ("This Week in Rust is edited
 * by …", "Discuss on r/rust") sits in it too and is cut off first.
 */
import type { Nodes, Paragraph, RootContent } from 'mdast';
import type { ExtractContext } from '../context.js';
import { type Definitions, findSections, plainText } from '../mdast.js';
import { decodeEntities, isPlaceholderText, isPlaceholderUrl, squash } from '../text.js';
import type { QuoteOfWeek, QuotePart } from '../types.js';
import { editorPick, HARD_BREAK, type InlineLink, inlineText, isCreditSentence, sentenceRanges, thanksIn } from './crates.js';

const QUOTE_HEADINGS = [/^quotes? of the week$/, /^crate and quote of the week$/];

/** `–`, `—`, `-`, `−` or `~` introducing the speaker. */
const DASH = /^\s*(?:--|[—–\-−~])\s*/;

/**
 * Extracts the quote of the week, or null for a week without one (and for drafts whose quote is
 * still `<!-- QOTW goes here -->`). An exchange of several quoted blocks, each followed by its
 * speaker (or "This time we have two quotes …"), keeps every part with its own speaker in `parts`;
 * the first thanks after the last part is who suggested it.
 */
export function extractQuoteOfWeek(ctx: ExtractContext): QuoteOfWeek | null {
  for (const section of findSections(ctx.sections, QUOTE_HEADINGS)) {
    const quote = quoteIn(untilFooter(section.nodes), ctx.defs);
    if (quote) return quote;
  }
  return null;
}

/** A quote's body with the speaker, when the speaker sits inside the same block. */
interface Body {
  text: string;
  attribution: Speaker | null;
}

interface Speaker {
  text: string;
  url: string | null;
}

function quoteIn(nodes: RootContent[], defs: Definitions): QuoteOfWeek | null {
  const start = bodyStart(nodes, defs);
  if (start === -1) return null;
  const parts: QuotePart[] = [];
  let i = start;
  // An exchange (2020-07-14, 2025-10-15) or two quotes in one week: each quote block with its own speaker.
  for (;;) {
    const part = partAt(nodes, i, defs, parts.length === 0);
    if (!part) break;
    parts.push(part.part);
    i = skipComments(nodes, part.next);
    if (i >= nodes.length || !bodyOf(nodes[i] as RootContent, defs)) break;
  }
  const first = parts[0];
  if (!first) return null;
  const rest = nodes.slice(i).filter((n) => n.type !== 'html');
  return { text: first.text, attribution: first.attribution, url: first.url, suggestedBy: creditAfter(rest, defs), parts };
}

/**
 * The quote part starting at `start` (a quote block, or for the first part a
 * plain paragraph before a dash line) with its speaker, inside the block or on
 * the line after it; `next` is the node after both.
 */
function partAt(nodes: RootContent[], start: number, defs: Definitions, first: boolean): { part: QuotePart; next: number } | null {
  const texts: string[] = [];
  let speaker: Speaker | null = null;
  let i = start;
  for (; i < nodes.length; i++) {
    const node = nodes[i] as RootContent;
    if (node.type === 'html' && !isContentHtml(node.value)) continue;
    let body = i === start ? (bodyOf(node, defs) ?? (first ? plainBody(node, defs) : null)) : bodyOf(node, defs);
    if (!body && isBridge(node, nodes[i + 1], defs)) body = plainBody(node, defs);
    if (!body) break;
    texts.push(body.text);
    if (body.attribution) {
      speaker = body.attribution;
      i++;
      break;
    }
  }
  const text = unquote(texts.join('\n\n').trim());
  if (text === '' || isPlaceholderText(text)) return null;
  if (!speaker) {
    const j = skipComments(nodes, i);
    speaker = speakerLine(speakerNode(nodes[j]), defs);
    if (speaker) i = j + 1;
  }
  return { part: { text, attribution: speaker?.text || null, url: speaker?.url ?? null }, next: i };
}

/** The index of the first node from `i` that is not an HTML comment or tag without content. */
function skipComments(nodes: readonly RootContent[], i: number): number {
  let j = i;
  while (j < nodes.length && (nodes[j] as RootContent).type === 'html' && !isContentHtml((nodes[j] as { value: string }).value)) j++;
  return j;
}

/** The footer and everything after it is not part of the quote section. */
function untilFooter(nodes: readonly RootContent[]): RootContent[] {
  const out: RootContent[] = [];
  for (const node of nodes) {
    if (node.type === 'html' && /^<small\b/i.test(node.value.trim())) break;
    if (node.type === 'paragraph' && /^(this week in rust is edited by|email list hosting|discuss on\b)/i.test(plainText(node))) break;
    out.push(node);
  }
  return out;
}

/**
 * Where the quote starts: the first block that looks like a quote, or else a plain paragraph
 * directly followed by a dash line (2021-08-10: a limerick, then "– a very sorry llogiq").
 */
function bodyStart(nodes: RootContent[], defs: Definitions): number {
  for (const [i, node] of nodes.entries()) {
    if (bodyOf(node, defs)) return i;
    const next = nodes.slice(i + 1).find((n) => n.type !== 'html');
    if (node.type === 'paragraph' && next?.type === 'paragraph' && DASH.test(plainText(next)) && !isCreditSentence(plainText(node))) {
      if (plainBody(node, defs)) return i;
    }
  }
  return -1;
}

/** A block that is a quote by its form: blockquote, code block, `<pre>`/`<img>`, or a 2014–15 quote paragraph. */
function bodyOf(node: RootContent, defs: Definitions): Body | null {
  switch (node.type) {
    case 'blockquote':
      return blockquoteBody(node.children, defs);
    case 'code':
      // 2015: IRC logs in fenced or indented code blocks.
      return nonEmpty({ text: node.value.replace(/\s+$/, ''), attribution: null });
    case 'html':
      // 2016-12-13: a comic as `<img alt="…">`; 2017-06-20: code in `<pre>`.
      return isContentHtml(node.value) ? nonEmpty({ text: htmlText(node.value), attribution: null }) : null;
    case 'paragraph':
      return italicBody(node, defs) ?? quotedBody(node, defs);
    default:
      return null;
  }
}

function plainBody(node: RootContent, defs: Definitions): Body | null {
  if (node.type !== 'paragraph') return null;
  return nonEmpty({ text: lines(inlineText(node.children, defs, true).text), attribution: null });
}

function nonEmpty(body: Body): Body | null {
  return body.text.trim() === '' || isPlaceholderText(body.text) ? null : body;
}

/** Quotes of quotes nest two deep at most (2015-10-12); deeper nesting is not read, so odd input cannot exhaust the stack. */
const MAX_NESTING = 8;

function blockquoteBody(children: readonly RootContent[], defs: Definitions, depth = 0): Body | null {
  const parts: string[] = [];
  let attribution: Speaker | null = null;
  for (const child of children) {
    if (child.type === 'paragraph') {
      // 2014-01-18: "> who needs pure functional when you have pure cool?\n— eddyb" — the speaker is a lazy line.
      const { text, links } = inlineText(child.children, defs, true);
      const dash = /(^|\n)[ \t]*[—–][ \t]*/.exec(text);
      if (dash && dash.index > 0) {
        parts.push(lines(text.slice(0, dash.index)));
        attribution = speakerOf(text, links, dash.index + dash[0].length, text.length);
        break;
      }
      parts.push(lines(text));
    } else if (child.type === 'blockquote') {
      // 2015-10-12: ">> War is Unsafe …" quoting a quote.
      const inner = depth < MAX_NESTING ? blockquoteBody(child.children, defs, depth + 1) : null;
      if (inner) parts.push(inner.text);
    } else if (child.type === 'code') {
      parts.push(child.value.replace(/\s+$/, ''));
    } else if (child.type === 'list') {
      const start = child.start ?? 1;
      parts.push(child.children.map((item, k) => `${child.ordered ? `${start + k}.` : '-'} ${plainText(item)}`).join('\n'));
    } else if (child.type === 'html') {
      if (isContentHtml(child.value)) parts.push(htmlText(child.value));
    } else {
      parts.push(plainText(child as Nodes));
    }
  }
  return nonEmpty({ text: parts.filter((p) => p !== '').join('\n\n'), attribution });
}

/**
 * 2015: `*"Dude, you can't just tell people …"*` — a paragraph opening with emphasis that is a
 * quotation (or is followed by a dash and the speaker: `*In programming …* — [llogiq on /r/rust](url)`).
 */
function italicBody(node: Paragraph, defs: Definitions): Body | null {
  const kids = node.children;
  let cut = 0;
  while (cut < kids.length) {
    const k = kids[cut] as Nodes;
    if (k.type === 'emphasis' || k.type === 'strong' || k.type === 'break' || (k.type === 'text' && k.value.trim() === '')) cut++;
    else break;
  }
  if (cut === 0 || !kids.slice(0, cut).some((k) => k.type === 'emphasis')) return null;
  const quote = lines(inlineText(kids.slice(0, cut), defs, true).text);
  const after = inlineText(kids.slice(cut), defs);
  const quoted = /^["“„']/.test(quote);
  if (!quoted && !(after.text.trim() !== '' && DASH.test(after.text))) return null;
  const speaker = after.text.trim() === '' ? null : speakerOf(after.text, after.links, 0, after.text.length);
  return nonEmpty({ text: unquote(quote), attribution: speaker });
}

/** 2014–15: `"[I] find it easy to get lost in this file." - [kud1ing](url) on libc.rs`, quote and speaker in one paragraph. */
function quotedBody(node: Paragraph, defs: Definitions): Body | null {
  const { text, links } = inlineText(node.children, defs, true);
  const m = /^\s*(["“][\s\S]*["”])([\s\S]*)$/.exec(text);
  if (!m) return null;
  const quote = m[1] as string;
  const restStart = text.indexOf(quote) + quote.length;
  const speaker = (m[2] as string).trim() === '' ? null : speakerOf(text, links, restStart, text.length);
  return nonEmpty({ text: unquote(lines(quote)), attribution: speaker });
}

/** Drops the quotation marks around a whole quote (`"Dude, …"` → `Dude, …`) when there are no others inside. */
function unquote(text: string): string {
  const m = /^["“]([^"“”]*)["”]$/.exec(text.trim());
  return m ? (m[1] as string).trim() : text;
}

/**
 * 2024-05-08: "And the reply:" between two blockquotes of one exchange joins them into one quote,
 * where "This time we have two quotes of the week:" before the first does not.
 */
function isBridge(node: RootContent, next: RootContent | undefined, defs: Definitions): boolean {
  if (node.type !== 'paragraph' || !next || !bodyOf(next, defs)) return false;
  const text = plainText(node);
  return text.length < 100 && /:$/.test(text) && !isCreditSentence(text);
}

/** 2020–24: the speaker line is sometimes `- [Mathias Lafeldt on his blog](url)`, which markdown reads as a one-item list. */
function speakerNode(node: RootContent | undefined): Paragraph | null {
  if (node?.type === 'paragraph') return node;
  if (node?.type === 'list' && node.children.length === 1) {
    const first = node.children[0]?.children[0];
    if (first?.type === 'paragraph') return { ...first, children: [{ type: 'text', value: '– ' }, ...first.children] };
  }
  return null;
}

/** The line after the quote, when it names the speaker: "– [Sean Baxter on circle-lang.org](url)", "[jimb on rust-internals](url)". */
function speakerLine(node: Paragraph | null, defs: Definitions): Speaker | null {
  if (!node) return null;
  const { text, links } = inlineText(node.children, defs);
  if (isCreditSentence(text) || /^\s*\[?(please\s+)?submit\b/i.test(text)) return null;
  // Without a dash only a short line is the speaker (2015-04-06: "[Declared by pcwalton on Hacker News](url)."), not a remark.
  if (!DASH.test(text) && text.length > 300) return null;
  return speakerOf(text, links, 0, text.length);
}

/**
 * The speaker in `text[from, to)`: dash dropped, one sentence only (2017-03-21 goes on "Check out
 * his Twitter feed …"), never a thanks or "Submit" sentence; `url` is its first link.
 */
function speakerOf(text: string, links: InlineLink[], from: number, to: number): Speaker | null {
  let end = to;
  for (const r of sentenceRanges(text)) {
    if (r.end <= from) continue;
    const sentence = text.slice(Math.max(r.start, from), r.end);
    if (isCreditSentence(sentence) || /^\s*\[?(please\s+)?submit\b/i.test(sentence)) {
      end = Math.max(from, r.start);
      break;
    }
    if (r.start > from && text.slice(from, r.start).trim() !== '') {
      end = r.start;
      break;
    }
  }
  const speaker = squash(text.slice(from, end).replace(/[\u2028\n]/g, ' '))
    .replace(DASH, '')
    .replace(/[\s.,;:!]+$/, '');
  if (speaker === '') return null;
  const link = links.find((l) => l.start >= from && l.start < end && !isPlaceholderUrl(l.url));
  return { text: speaker, url: link?.url ?? null };
}

/** The first thanks after the quote, else the editor credited for picking it ("llogiq is pleased with his suggestion"). */
function creditAfter(nodes: RootContent[], defs: Definitions): string | null {
  const texts = nodes.filter((n) => n.type === 'paragraph').map((n) => inlineText((n as Paragraph).children, defs).text);
  for (const t of texts) {
    const who = thanksIn(t);
    if (who !== null) return who;
  }
  for (const t of texts) {
    const who = editorPick(t);
    if (who !== null) return who;
  }
  return null;
}

function isContentHtml(html: string): boolean {
  return /^\s*<(pre|img)\b/i.test(html);
}

function htmlText(html: string): string {
  const alt = /^\s*<img\b[^>]*\balt="([^"]*)"/i.exec(html);
  if (alt) return squash(decodeEntities(alt[1] as string));
  return decodeEntities(html.replace(/<[^>]+>/g, '')).replace(/\s+$/, '');
}

/** Renders flattened inline text as a reader sees it: soft breaks are spaces, hard breaks new lines. */
function lines(text: string): string {
  return text
    .replace(/[ \t]*\n[ \t]*/g, ' ')
    .split(HARD_BREAK)
    .map((l) => l.replace(/[ \t\u00A0]+/g, ' ').trim())
    .join('\n')
    .trim();
}
