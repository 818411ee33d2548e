/**
 * Maps web URLs onto command lines and back, so every answer has a
 * shareable address: `/search?q=async+closures`, `/events?place=berlin`,
 * `/fcp?team=lang`, `/issue/571`, with `as-of` and `page` as parameters.
 * The words go through the same parser as the console and Slack, so the web
 * accepts and refuses exactly what they do.
 */

import { helpCommand } from '../../../commands/help.js';
import { commandList } from '../../../commands/index.js';
import type { CommandDefinition, OptionDefinition } from '../../core/commands/definition.js';

/**
 * The commands the public page answers: read-only ones. Subscriptions and the
 * digest act on a chat channel, which a web visitor does not have.
 */
export const webCommands: readonly CommandDefinition[] = (() => {
  const list: CommandDefinition[] = [];
  const help = helpCommand(() => list);
  for (const c of commandList) if (!c.writes && !c.permission && c.name !== 'help') list.push(c);
  list.push(help);
  return list;
})();

/** Friendlier parameter names than the options' internal ones (`/search?q=…`, `/fcp?team=lang`): alias → option. */
const ALIASES: Record<string, Record<string, string>> = { search: { q: 'query' }, fcp: { team: 'filter' } };

/** The option a bare `q` fills: the command's first positional option. */
function mainOption(command: CommandDefinition): OptionDefinition | undefined {
  return command.options.find((o) => o.positional);
}

/** A path segment as typed: percent-decoded, or kept as it is when its escapes are broken (`/issue/%E0`). */
function decodePath(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Query parameters are one line each: a newline would end the `--key=value` word early. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/**
 * The command words for a page or API request: `[name, --as-of=…, --page=…, --option=value…]`,
 * or null when the path names no web command. `rest` is what followed the command in the path
 * (`571` of `/issue/571`), which fills the main option.
 */
export function requestWords(name: string, rest: string, params: URLSearchParams): { command: CommandDefinition; words: string[] } | null {
  const command = webCommands.find((c) => c.name === name.toLowerCase());
  if (!command) return null;
  const words = [command.name];
  const aliases = ALIASES[command.name] ?? {};
  const main = mainOption(command);
  const values = new Map<string, string>();
  if (main && rest) values.set(main.name, oneLine(decodePath(rest)));
  for (const [key, value] of params) {
    const k = key.toLowerCase();
    const v = oneLine(value);
    if (!v) continue;
    if (k === 'as-of' || k === 'page') words.push(`--${k}=${v}`);
    else if (k === 'q' && main) values.set(main.name, v);
    else if (aliases[k]) values.set(aliases[k] as string, v);
    else if (command.options.some((o) => o.name === k)) values.set(k, v);
    // Anything else (utm_*, a stray parameter) is ignored, as a link shared around should still work.
  }
  for (const [k, v] of values) words.push(`--${k}=${v}`);
  return { command, words };
}

/** The page URL for a command with its option values (the inverse of `requestWords`), for paging links and forms. */
export function pageUrl(command: CommandDefinition, values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  const aliases = Object.fromEntries(Object.entries(ALIASES[command.name] ?? {}).map(([alias, name]) => [name, alias]));
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === '') continue;
    if (command.name === 'issue' && k === 'which') continue;
    params.set(aliases[k] ?? k, String(v));
  }
  const path = command.name === 'issue' && values.which ? `/issue/${encodeURIComponent(String(values.which))}` : `/${command.name}`;
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/** The query parameter a form field for `option` is sent as (`q` for search's query, `team` for fcp's filter). */
export function paramName(command: CommandDefinition, option: OptionDefinition): string {
  const alias = Object.entries(ALIASES[command.name] ?? {}).find(([, name]) => name === option.name);
  return alias ? alias[0] : option.name;
}
