/**
 * Discord markdown escaping for text that comes from the newsletter or from a
 * user: a title with `*`, `_`, `` ` ``, `|` or `[` must render literally, and
 * a link label must not close its `[…](…)` early. Exported for every module
 * that writes Discord messages (the answers here, the digest's posts).
 */
import { escapeMarkdown as libraryEscape } from '@discordjs/formatters';

/**
 * Escapes `text` so Discord shows it exactly as written. discord.js's
 * `escapeMarkdown` handles the paired markers (bold, italics, code, spoilers,
 * strikethrough, headings, lists); it leaves a lone `|`, `[`/`]` (masked
 * links), `<` (timestamps, custom emoji) and a leading `>` (quotes) alone, so
 * those get a backslash here. Discord drops the backslash before any
 * punctuation, so over-escaping never shows.
 */
export function escapeDiscordMarkdown(text: string): string {
  const escaped = libraryEscape(text, {
    codeBlock: true,
    inlineCode: true,
    bold: true,
    italic: true,
    underline: true,
    strikethrough: true,
    spoiler: true,
    codeBlockContent: true,
    inlineCodeContent: true,
    escape: true,
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  });
  return escaped.replace(/(?<!\\)([|[\]<])/g, '\\$1').replace(/^(\s*)>/gm, '$1\\>');
}

/**
 * A URL safe inside `[label](url)`: only http(s), with the characters that
 * would end the link (`(`, `)`, spaces, `<`, `>`) percent-encoded. Returns
 * null for anything else (javascript:, relative paths, garbage), so the label
 * is shown unlinked rather than as a broken link.
 */
export function safeLinkUrl(url: string | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  return parsed.href.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
