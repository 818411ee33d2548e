/**
 * What "Find in TWIR" looks up in a chat message: its links (Markdown
 * `[label](url)`, Slack's `<url|label>`, Discord's `<url>`, bare URLs and
 * `www.` addresses) and references (`#132706`, `rust-lang/rust#132706`,
 * `rfc 3668`), in the order they appear, each once however it is spelt
 * (`linkKey`), at most `MAX_MESSAGE_LINKS`; and, for a message without any,
 * its words. Pure and total: any string in, never a throw.
 */
import { type LinkLookup, linkKey, parseLinkLookup } from './references.js';

/** Links looked up per message, at most; the reply says how many more there were. */
export const MAX_MESSAGE_LINKS = 10;
/** Only this much of a message is read (Slack allows 40,000 characters; a TWIR question is far shorter). */
export const MAX_MESSAGE_CHARS = 10_000;
/** The words searched for a message without links are cut to this many characters. */
export const MAX_MESSAGE_WORDS_CHARS = 200;

/** One link or reference of a message: the text to look up (a URL, `rust-lang/rust#1`, `RFC 1`) and its lookup. */
export interface MessageLink {
  /** What to search for: the URL as written, or the reference as the lookup names it. */
  query: string;
  lookup: LinkLookup;
}

/** What a message asks: its links, how many more were left out, and its words when it has no links. */
export interface MessageQuery {
  links: MessageLink[];
  /** Distinct links past `MAX_MESSAGE_LINKS`, not looked up. */
  more: number;
  /** The message's words (mentions, emoji codes and markup dropped), cut to a search's length; '' when none. */
  words: string;
  /** Whether the message was longer than `MAX_MESSAGE_CHARS` and only its start was read. */
  cut: boolean;
}

// Slack writes links as <url> or <url|label>; Discord as <url> when its preview is suppressed.
const ANGLE_LINK = /<((?:https?:\/\/|www\.)[^\s|<>]+)(?:\|[^<>]*)?>/gi;
// Markdown: [label](url), as Discord and most chat clients write a masked link.
const MARKDOWN_LINK = /\[[^\]\n]{0,500}\]\(\s*<?((?:https?:\/\/|www\.)[^\s<>]+?)>?\s*\)/gi;
const BARE_URL = /(?:https?:\/\/|\bwww\.)[^\s<>"'`|]+/gi;
/** `rfc 3668`, `RFC3668`, `rfcs#3668`, `rust-lang/rfcs#3668`; `#132706`, `rust#132706`, `rust-lang/rust#132706`. */
const REFERENCE = /(?<![\w/<&#@.-])(?:rfcs?\s*#?\s*\d{1,5}|(?:[\w.-]+\/)?[\w.-]+#\d{1,7}|#\d{3,7})(?![\w#])/gi;
/** Punctuation that ends a sentence, not a URL (`see https://x.org/a.`, `(https://x.org/a)`). */
const TRAILING = /[.,;:!?'")\]}*_~>]+$/;
/** Chat markup that is not words: mentions and channel links (`<@U1>`, `<#C1|x>`, `<!here>`), custom emoji, `:emoji:`, `@name`. */
const NOT_WORDS = /<[^<>\s]*(?:\|[^<>]*)?>|<a?:\w+:\d+>|:[\w+-]+:|@[\w.-]+/g;

/** Reads a message's text (as the platform sends it) into what to look up. */
export function readMessage(text: unknown): MessageQuery {
  const raw = typeof text === 'string' ? text : '';
  const cut = raw.length > MAX_MESSAGE_CHARS;
  let rest = cut ? raw.slice(0, MAX_MESSAGE_CHARS) : raw;
  const found: { at: number; query: string }[] = [];
  // Wrapped forms first, replaced by spaces of the same length so positions (the order links appear in) hold.
  const take = (re: RegExp) => {
    rest = rest.replace(re, (whole: string, url: string, at: number) => {
      found.push({ at, query: url });
      return ' '.repeat(whole.length);
    });
  };
  take(ANGLE_LINK);
  take(MARKDOWN_LINK);
  rest = rest.replace(BARE_URL, (whole: string, at: number) => {
    const url = whole.replace(TRAILING, '');
    if (url.length > 8) found.push({ at, query: url });
    return ' '.repeat(whole.length);
  });
  const withoutLinks = rest;
  for (const m of rest.matchAll(REFERENCE)) found.push({ at: m.index ?? 0, query: m[0].replace(/\s+/g, ' ') });
  found.sort((a, b) => a.at - b.at);

  const links: MessageLink[] = [];
  const seen = new Set<string>();
  let more = 0;
  for (const { query } of found) {
    const lookup = parseLinkLookup(query);
    if (!lookup) continue;
    const key = dedupeKey(lookup, query);
    if (seen.has(key)) continue;
    seen.add(key);
    if (links.length < MAX_MESSAGE_LINKS) links.push({ query: lookup.kind === 'url' ? query : lookup.label, lookup });
    else more++;
  }
  return { links, more, words: links.length || more ? '' : messageWords(withoutLinks), cut };
}

/** One key per link however it is written: a pull request's URL and `#N` are the same, so are an RFC's pull request and `rfc N`. */
function dedupeKey(lookup: LinkLookup, query: string): string {
  if (lookup.kind === 'rfc') return `github.com/rust-lang/rfcs/pull/${lookup.label.replace(/\D/g, '')}`;
  if (lookup.kind === 'pull') return `github.com/${lookup.label.replace('#', '/pull/')}`.toLowerCase();
  const key = linkKey(/^https?:\/\//i.test(query) ? query : `https://${query}`).toLowerCase();
  // A link to an RFC's pull request is the RFC.
  return key.replace(/^github\.com\/rust-lang\/rfcs\/(?:pull|issues)\/(\d+)$/, 'github.com/rust-lang/rfcs/pull/$1');
}

/** The words of a message for a search: markup and mentions dropped, whitespace collapsed, cut at a word. */
function messageWords(text: string): string {
  const plain = text.replace(NOT_WORDS, ' ').replace(/\s+/g, ' ').trim();
  if (plain.length <= MAX_MESSAGE_WORDS_CHARS) return plain;
  const head = plain.slice(0, MAX_MESSAGE_WORDS_CHARS);
  const space = head.lastIndexOf(' ');
  return space > MAX_MESSAGE_WORDS_CHARS / 2 ? head.slice(0, space) : head;
}
