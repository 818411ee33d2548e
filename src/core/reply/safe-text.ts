/**
 * Mass mentions must never reach a channel: not from a user's query echoed
 * back ("No crate matches @everyone"), not from an issue's text. Every string
 * of a Reply passes through here once, in the core, so no adapter can forget;
 * adapters still switch mentions off on their side (Discord allowed_mentions).
 */
import type { Reply } from './reply.js';

const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Breaks `@everyone`/`@here` (Discord) and `<!here>`, `<!channel>`,
 * `<!everyone>`, `<@U…>`/`<@&…>`/`<#…>` mention syntax (Slack, Discord) with a
 * zero-width space, so they print as text and ping no one.
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`).replace(/<([!@#])/g, `<${ZERO_WIDTH_SPACE}$1`);
}

/** A copy of the reply with every string neutralized (labels, details, urls, hints, citations…). */
export function sanitizeReply(reply: Reply): Reply {
  return deepMap(reply) as Reply;
}

function deepMap(value: unknown): unknown {
  if (typeof value === 'string') return neutralizeMentions(value);
  if (Array.isArray(value)) return value.map(deepMap);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepMap(v)]));
  }
  return value;
}
