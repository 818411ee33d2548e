/**
 * The /twir chat-input command as Discord's registration JSON: one
 * subcommand per entry of `commandList`, options built from each neutral
 * OptionDefinition; and the "Find in TWIR" message command. deploy.ts PUTs them; the fake Discord checks it against the
 * same rules Discord does.
 * https://discord.com/developers/docs/interactions/application-commands
 */
import type {
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { CommandDefinition, OptionDefinition } from '../../core/commands/definition.js';
import { FIND_IN_TWIR } from '../../core/commands/find-in-twir.js';
import { truncate } from './render-reply.js';

/** The name users type: `/twir`. */
export const ROOT_COMMAND = 'twir';

/** The option every dated command gets, so an answer can be asked "as of" a past week. */
export const AS_OF_OPTION = 'as-of';

// Discord's application command option types.
const SUB_COMMAND = 1;
const STRING = 3;
const INTEGER = 4;
const ROLE = 8;

/** Commands whose answer does not depend on a date, and the subscription commands (a date means nothing to them): no `as-of`. */
const UNDATED = new Set(['help', 'subscribe', 'unsubscribe']);

type CommandOption = NonNullable<RESTPostAPIChatInputApplicationCommandsJSONBody['options']>[number];

/**
 * The /twir command: installable to a server and to a user (integration
 * types 0 and 1), usable in servers, the bot's DM and private channels
 * (contexts 0, 1, 2), so a member can use it anywhere without the bot joining.
 */
export function buildTwirCommand(catalogue: readonly CommandDefinition[]): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    name: ROOT_COMMAND,
    type: 1,
    description: 'Ask This Week in Rust: crates, events, RFCs, FCPs, jobs, search…',
    integration_types: [0, 1],
    contexts: [0, 1, 2],
    options: catalogue.slice(0, 25).map(subcommand),
  } as RESTPostAPIChatInputApplicationCommandsJSONBody;
}

/**
 * The message context-menu command "Find in TWIR" (type 3: right-click or
 * long-press a message → Apps). Unlike a slash command its name may hold
 * spaces and capitals, and it has no description or options; it installs and
 * works wherever /twir does.
 * https://discord.com/developers/docs/interactions/application-commands#message-commands
 */
export function buildFindInTwirCommand(): RESTPostAPIContextMenuApplicationCommandsJSONBody {
  return {
    name: FIND_IN_TWIR,
    type: 3,
    integration_types: [0, 1],
    contexts: [0, 1, 2],
  } as RESTPostAPIContextMenuApplicationCommandsJSONBody;
}

function subcommand(command: CommandDefinition): CommandOption {
  const options = command.options.map(option);
  if (!UNDATED.has(command.name)) {
    options.push({
      type: STRING,
      name: AS_OF_OPTION,
      description: 'Answer as of this date (YYYY-MM-DD), e.g. 2024-10-30',
      required: false,
      max_length: 10,
    } as CommandOption);
  }
  // Discord rejects a required option after an optional one.
  const sorted = [...options.filter((o) => 'required' in o && o.required), ...options.filter((o) => !('required' in o && o.required))];
  return {
    type: SUB_COMMAND,
    name: discordName(command.name),
    description: fitDescription(command.description),
    options: sorted.slice(0, 25),
  } as CommandOption;
}

function option(opt: OptionDefinition): CommandOption {
  const base = {
    name: discordName(opt.name),
    // A date is a string to Discord; the core checks the format and says what it expects.
    description: fitDescription(opt.type === 'date' ? `${opt.description} (YYYY-MM-DD)` : opt.description),
    required: opt.required === true,
  };
  if (opt.type === 'role') return { ...base, type: ROLE } as CommandOption;
  if (opt.type === 'integer')
    return { ...base, type: INTEGER, ...(opt.choices ? { choices: intChoices(opt.choices) } : {}) } as CommandOption;
  const choices = opt.choices?.slice(0, 25).map((c) => ({ name: truncate(c, 100), value: c.slice(0, 100) }));
  return {
    ...base,
    type: STRING,
    ...(opt.maxLength ? { max_length: Math.min(opt.maxLength, 6000) } : {}),
    // Discord forbids autocomplete together with fixed choices; choices win.
    ...(choices ? { choices } : opt.autocomplete ? { autocomplete: true } : {}),
  } as CommandOption;
}

function intChoices(choices: readonly string[]): { name: string; value: number }[] {
  return choices
    .filter((c) => /^-?\d+$/.test(c))
    .slice(0, 25)
    .map((c) => ({ name: c, value: Number(c) }));
}

/**
 * A description within Discord's 100 characters. A long one loses its
 * parenthesised asides first, so the command picker shows the whole sentence
 * (events: `… at a place or "near <city> [km]"`); only then is it cut.
 */
function fitDescription(text: string): string {
  if (text.length <= 100) return text;
  const plain = text
    .replace(/\s*\([^()]*\)/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
  return truncate(plain.length > 0 ? plain : text, 100);
}

/** Discord names: lower case, 1–32 characters of letters, digits, `-` and `_`. */
function discordName(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^-_\p{L}\p{N}]/gu, '-')
      .slice(0, 32) || 'x'
  );
}
