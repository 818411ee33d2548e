/**
 * The shape check every interaction passes before the handler sees it. A
 * signed body can still be malformed (a `null`, `options` that is an object):
 * the HTTP transport answers those 400, the gateway drops them, and nothing
 * downstream has to guard each property access.
 */
import type { InteractionPayload } from './handle-interaction.js';

/** The payload when its fields have the types the handler reads, else null. */
export function readInteraction(value: unknown): InteractionPayload | null {
  if (!isObject(value)) return null;
  if (!Number.isInteger(value.type)) return null;
  for (const key of ['id', 'token', 'guild_id', 'channel_id'] as const)
    if (value[key] !== undefined && typeof value[key] !== 'string') return null;
  for (const key of ['channel', 'member', 'user', 'message'] as const)
    if (value[key] !== undefined && value[key] !== null && !isObject(value[key])) return null;
  if (value.member && isObject(value.member) && value.member.user !== undefined && !isObject(value.member.user)) return null;
  const data = value.data;
  if (data === undefined) return value as InteractionPayload;
  if (!isObject(data)) return null;
  if (data.name !== undefined && typeof data.name !== 'string') return null;
  if (data.custom_id !== undefined && typeof data.custom_id !== 'string') return null;
  if (data.options !== undefined && !optionsOk(data.options, 0)) return null;
  if (data.target_id !== undefined && typeof data.target_id !== 'string') return null;
  // A message command's target: `resolved.messages` maps ids to messages (their content is read as a string or not at all).
  if (data.resolved !== undefined && !isObject(data.resolved)) return null;
  const messages = isObject(data.resolved) ? data.resolved.messages : undefined;
  if (messages !== undefined && (!isObject(messages) || !Object.values(messages).every(isObject))) return null;
  return value as InteractionPayload;
}

/** Options nest two levels at most (subcommand group → subcommand → options). */
function optionsOk(options: unknown, depth: number): boolean {
  if (!Array.isArray(options) || depth > 3 || options.length > 50) return false;
  return options.every(
    (o) =>
      isObject(o) && (o.name === undefined || typeof o.name === 'string') && (o.options === undefined || optionsOk(o.options, depth + 1)),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
