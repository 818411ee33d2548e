/**
 * Mass mentions must never reach a channel: not from a user's query echoed
 * back ("No crate matches @everyone"), not from an issue's text. Every string
 * of a Reply passes through `safeText` once, in the core, so no adapter can
 * forget; adapters still switch mentions off on their side (Discord
 * allowed_mentions).
 *
 * Order matters. Characters a terminal or chat client drops or hides
 * (controls, bidi overrides, zero-width characters) and compatibility forms
 * NFKC folds (`＠everyone`) are dealt with first; only then are mentions
 * broken. The other way round, `@\x01everyone` passes the mention check and
 * becomes `@everyone` once the control character is stripped.
 */
import type { Reply } from './reply.js';

const ZERO_WIDTH_SPACE = '\u200b';

/**
 * C0/C1 controls but tab and newline (ESC starts terminal escape sequences;
 * CR rewrites a line), bidi embeddings, overrides, isolates and marks, and
 * invisible formatting characters (zero-width space/non-joiner, word joiner,
 * invisible operators, BOM, Mongolian vowel separator, soft hyphen, tags).
 * The zero-width joiner is handled apart: emoji sequences need it.
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]|\u{E0000}|\u{E0001}|[\u{E0020}-\u{E007F}]/gu;
/** A zero-width joiner that does not continue an emoji (where it has no business but to hide things). */
const STRAY_JOINER = /(?<!\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

/**
 * Makes text safe to show anyone: strips what a reader cannot see (see
 * `INVISIBLE`), folds compatibility characters (NFKC), then breaks mentions.
 * Idempotent: `safeText(safeText(s)) === safeText(s)`.
 */
export function safeText(text: string): string {
  return neutralizeMentions(normalizeText(text));
}

/** Strips invisible and control characters and applies NFKC; newlines and tabs stay. */
export function normalizeText(text: string): string {
  // Strip before and after NFKC: folding can produce a character we strip (rare, but cheap to be sure).
  return text.replace(INVISIBLE, '').replace(STRAY_JOINER, '').normalize('NFKC').replace(INVISIBLE, '');
}

/**
 * Breaks `@everyone`/`@here` (Discord) and `<!here>`, `<!channel>`,
 * `<!everyone>`, `<@U…>`/`<@&…>`/`<#…>` mention syntax (Slack, Discord) with a
 * zero-width space, so they print as text and ping no one. Call `safeText`
 * instead unless the text is already normalised.
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`).replace(/<([!@#])/g, `<${ZERO_WIDTH_SPACE}$1`);
}

/** A copy of the reply with every string made safe (labels, details, urls, hints, citations…). */
export function sanitizeReply<T extends Reply>(reply: T): T {
  return deepMap(reply) as T;
}

function deepMap(value: unknown): unknown {
  if (typeof value === 'string') return safeText(value);
  if (Array.isArray(value)) return value.map(deepMap);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepMap(v)]));
  }
  return value;
}
