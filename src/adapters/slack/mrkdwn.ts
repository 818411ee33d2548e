/**
 * Slack mrkdwn safety. Slack reads `<…>` as control sequences (`<!channel>`,
 * `<@U123>`, `<!subteam^S1>`, `<url|label>`), so every piece of newsletter or
 * user text that lands in a mrkdwn field goes through `escapeMrkdwn`; only
 * the links this adapter builds itself are left as real `<url|label>`.
 * Exported for every Slack module that writes mrkdwn (answers and the digest).
 *
 * https://docs.slack.dev/messaging/formatting-message-text/#escaping
 */

/**
 * Escapes `&`, `<` and `>` as Slack asks, so text can never form a mention,
 * a broadcast (`<!here>`) or a link. `&` first, or the other escapes would be
 * escaped twice.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A `<url|label>` link whose label cannot break out: the label is escaped and
 * its `|` (the link's own separator) replaced by a look-alike, and a URL that
 * is not plain http(s) or contains `<`, `>`, `|` or spaces is dropped, leaving
 * the label as text rather than a broken or hostile link. The label is cut to
 * `maxLabel` characters after escaping, so escapes cannot push it past a limit.
 */
export function mrkdwnLink(url: string | undefined, label: string, maxLabel = 1000): string {
  const text = truncate(escapeMrkdwn(label.replace(/\|/g, '\u2223')), maxLabel);
  // A URL past 1000 characters is no link a reader would follow, and would crowd out the text.
  if (!url || url.length > 1000 || !/^https?:\/\/[^\s<>|]+$/i.test(url)) return text;
  // `&` is the one character of a URL that Slack wants escaped inside <…>.
  return `<${url.replace(/&/g, '&amp;')}|${text}>`;
}

/**
 * Cuts `text` to at most `max` characters (UTF-16 code units, as Slack counts),
 * ending in "…" when cut. Never splits a surrogate pair or an `&amp;`-style
 * escape, so the result is still valid text for Slack.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  // A lone high surrogate at the end would render as garbage.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  // A cut inside "&amp;", "&lt;" or "&gt;" would show a stray "&am".
  cut = cut.replace(/&[a-z]{0,3}$/, '');
  return `${cut}…`;
}

/**
 * Undoes Slack's escaping of text it sends us (a slash command's `text`
 * arrives with `&amp;`, `&lt;`, `&gt;`), so `/twir search "a & b"` searches
 * for "a & b". `&amp;` last, so "&amp;lt;" becomes "&lt;" as typed.
 */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
