/**
 * The one function from a Discord interaction payload to the response(s):
 * both transports (the gateway's INTERACTION_CREATE and the signed HTTP
 * endpoint) hand it the same JSON and only deliver what it returns. Pure
 * apart from the injected archive, page store, clock and logger; never throws.
 * https://discord.com/developers/docs/interactions/receiving-and-responding
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { commandChart } from '../../core/charts/command-chart.js';
import { autocomplete } from '../../core/commands/autocomplete.js';
import type { Caller } from '../../core/commands/caller.js';
import { type CommandArgs, type CommandDefinition, isPageable } from '../../core/commands/definition.js';
import { executeCommand } from '../../core/commands/execute.js';
import { checkValue, parseCommandLine } from '../../core/commands/parse-command-line.js';
import { isIsoDate, localIsoDate } from '../../core/dates.js';
import { type Reply, usageError } from '../../core/reply/reply.js';
import { sanitizeReply } from '../../core/reply/safe-text.js';
import { botAccessOf } from './bot-access.js';
import { AS_OF_OPTION, ROOT_COMMAND } from './command-schema.js';
import { answerFindInTwir, isFindInTwir, isShareClick, shareFindInTwir } from './find-in-twir.js';
import {
  CALLBACK,
  type HandledInteraction,
  type InteractionDeps,
  type InteractionOption,
  type InteractionPayload,
  type InteractionResponse,
} from './interaction-types.js';
import { decodePage, encodePage, PAGE_STATE_TTL_DAYS, type PageState } from './page-state.js';
import { DISCORD_LIMITS, renderHint, renderNotice, renderReply, truncate } from './render-reply.js';

// Interaction types (Discord API v10).
const PING = 1;
const APPLICATION_COMMAND = 2;
const MESSAGE_COMPONENT = 3;
const AUTOCOMPLETE = 4;

export {
  CALLBACK,
  type HandledInteraction,
  type InteractionDeps,
  type InteractionPayload,
  type InteractionResponse,
} from './interaction-types.js';

/** Said (privately) to an interaction that arrives while the bot is stopping. */
export const STOPPING_TEXT = 'twir-bot is restarting; please ask again in a minute.';

/**
 * The answer to an interaction that arrives while the bot is stopping: PONG
 * to a PING, no choices to autocomplete (it cannot take a message), and a
 * private "restarting" to everything else, rather than leave Discord's "The
 * application did not respond".
 */
export function stoppingResponse(interaction: InteractionPayload): InteractionResponse {
  if (interaction.type === PING) return { type: CALLBACK.PONG };
  if (interaction.type === AUTOCOMPLETE) return { type: CALLBACK.AUTOCOMPLETE, data: { choices: [] } };
  return { type: CALLBACK.MESSAGE, data: renderNotice(STOPPING_TEXT) };
}

/** Answers one interaction. Never throws: odd payloads get a private explanation. */
export async function handleInteraction(interaction: InteractionPayload, deps: InteractionDeps): Promise<HandledInteraction> {
  try {
    switch (interaction.type) {
      case PING:
        return { response: { type: CALLBACK.PONG }, followUps: [] };
      case APPLICATION_COMMAND:
        return isFindInTwir(interaction) ? await answerFindInTwir(interaction, deps) : await runSlashCommand(interaction, deps);
      case AUTOCOMPLETE:
        return { response: { type: CALLBACK.AUTOCOMPLETE, data: { choices: suggest(interaction, deps) } }, followUps: [] };
      case MESSAGE_COMPONENT:
        return isShareClick(interaction) ? await shareFindInTwir(interaction, deps) : await turnPage(interaction, deps);
      default:
        return notice('I do not handle that kind of interaction.');
    }
  } catch (err) {
    deps.log.error(`interaction ${interaction.id ?? '?'}: ${err instanceof Error ? err.message : String(err)}`);
    return notice('Sorry, something went wrong answering that. Please try again.');
  }
}

/** The subcommand and its options from a /twir payload. */
function subcommandOf(interaction: InteractionPayload): InteractionOption | undefined {
  if (interaction.data?.name !== ROOT_COMMAND) return undefined;
  return interaction.data.options?.find((o) => o.type === 1);
}

async function runSlashCommand(interaction: InteractionPayload, deps: InteractionDeps): Promise<HandledInteraction> {
  const sub = subcommandOf(interaction);
  const command = deps.catalogue.find((c) => c.name === sub?.name);
  if (!sub || !command)
    return answer(
      usageError(
        `Unknown command "${truncate(String(sub?.name ?? interaction.data?.name ?? ''), 40)}".`,
        'Run /twir help to see every command.',
      ),
    );
  const parsed = readArgs(command, sub.options ?? []);
  if ('error' in parsed) return answer(usageError(parsed.error, `Example: ${discordExample(command, deps.catalogue)}`));
  const state: PageState = { command: command.name, args: parsed.args, asOf: parsed.asOf ?? localIsoDate(deps.now()) };
  const reply = await run(command, state, 1, interaction, deps);
  const handled = await present(reply, state, CALLBACK.MESSAGE, deps);
  // Only a public answer gets the image: a private "nothing found" needs no map.
  const chart = reply.kind === 'answer' && !reply.private ? commandChart(command.name, state.args, deps.archive, state.asOf) : undefined;
  return chart ? { ...handled, chart } : handled;
}

/** A command's first example with options, as a Discord user types it (`/twir search query:async closures`), from its console form. */
function discordExample(command: CommandDefinition, catalogue: readonly CommandDefinition[]): string {
  const options = command.examples
    .map((line) => parseCommandLine(line, catalogue))
    .map((parsed) => (parsed.ok && parsed.command === command ? Object.entries(parsed.args).map(([k, v]) => `${k}:${v}`) : []))
    .find((o) => o.length > 0);
  return [`/twir ${command.name}`, ...(options ?? [])].join(' ');
}

/** Typed arguments from the Discord options, checked by the core's rules (Discord's own checks are not trusted). */
function readArgs(
  command: CommandDefinition,
  options: readonly InteractionOption[],
): { args: CommandArgs; asOf?: string } | { error: string } {
  const args: CommandArgs = {};
  let asOf: string | undefined;
  for (const o of options) {
    const value = o.value === undefined || o.value === null ? '' : String(o.value);
    if (o.name === AS_OF_OPTION) {
      if (!isIsoDate(value)) return { error: `The as-of date must be a real date like 2024-10-30, not "${value.slice(0, 30)}".` };
      asOf = value;
      continue;
    }
    const def = command.options.find((d) => d.name === o.name);
    if (!def) return { error: `"${command.name}" has no option "${String(o.name).slice(0, 30)}".` };
    if (value === '') continue;
    const checked = checkValue(def, value);
    if (typeof checked === 'object') return { error: checked.error };
    args[def.name] = checked;
  }
  const missing = command.options.find((d) => d.required && args[d.name] === undefined);
  if (missing) return { error: `"${command.name}" needs ${missing.name}: ${missing.description}.` };
  return asOf ? { args, asOf } : { args };
}

/** Runs the command; executeCommand already returns the reply normalised and mention-safe. */
function run(
  command: CommandDefinition,
  state: PageState,
  page: number,
  interaction: InteractionPayload,
  deps: InteractionDeps,
): Promise<Reply> {
  return executeCommand(
    command,
    state.args,
    { asOf: state.asOf, page, ...(state.pin !== undefined ? { pin: state.pin } : {}) },
    {
      archive: deps.archive,
      today: () => localIsoDate(deps.now()),
      now: deps.now,
      ...(deps.digest ? { digest: deps.digest } : {}),
      onError: (err) =>
        deps.log.error(
          `interaction ${interaction.id ?? '?'}: /twir ${command.name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        ),
    },
    callerOf(interaction, command),
  );
}

/** Who asked and where; Manage Channels only for commands that ask for it. */
export function callerOf(interaction: InteractionPayload, command: CommandDefinition): Caller {
  const context = interaction.context ?? (interaction.guild_id ? 0 : 1);
  const caller: Caller = {
    platform: 'discord',
    workspaceId: interaction.guild_id ?? null,
    channelId: interaction.channel_id ?? interaction.channel?.id ?? null,
    userId: interaction.member?.user?.id ?? interaction.user?.id ?? null,
    place: context === 0 ? 'channel' : context === 2 ? 'private-channel' : 'dm',
  };
  // Channel type 5: an announcement channel.
  if (interaction.channel?.type === 5) caller.announcementChannel = true;
  if (interaction.channel?.name) caller.channelName = interaction.channel.name;
  if (command.permission === 'manage-channel') {
    caller.canManageChannel = hasManageChannels(interaction);
    const bot = botAccessOf(interaction);
    if (bot) caller.botAccess = bot;
  }
  return caller;
}

/** The MANAGE_CHANNELS bit of the member's permissions in this channel; false without a server member (DMs). */
function hasManageChannels(interaction: InteractionPayload): boolean {
  const bits = interaction.guild_id ? interaction.member?.permissions : undefined;
  if (!bits || !/^\d{1,30}$/.test(bits)) return false;
  const flags = BigInt(bits);
  return (flags & PermissionFlagsBits.ManageChannels) !== 0n || (flags & PermissionFlagsBits.Administrator) !== 0n;
}

/** The response for a reply: public or private, with page buttons and the hint as a private follow-up. */
async function present(
  reply: Reply,
  state: PageState,
  type: typeof CALLBACK.MESSAGE | typeof CALLBACK.UPDATE,
  deps: InteractionDeps,
): Promise<HandledInteraction> {
  const now = deps.now();
  const cursor = reply.page;
  // The buttons pin the archive this page was made from (a first answer learns it from the cursor).
  const pinned = cursor?.pin !== undefined ? { ...state, pin: cursor.pin } : state;
  const buttons =
    cursor && cursor.pages > 1 && reply.kind === 'answer'
      ? {
          prev: cursor.page > 1 ? await encodePage(pinned, cursor.page - 1, deps.pages, now) : null,
          next: cursor.next !== undefined ? await encodePage(pinned, cursor.next, deps.pages, now) : null,
        }
      : undefined;
  // An edit cannot turn a public message private, so a page that no longer answers is said privately instead.
  const responseType = type === CALLBACK.UPDATE && reply.kind !== 'answer' ? CALLBACK.MESSAGE : type;
  const hint = renderHint(reply);
  return {
    response: { type: responseType, data: renderReply(reply, buttons) },
    followUps: hint && type === CALLBACK.MESSAGE ? [hint] : [],
  };
}

async function turnPage(interaction: InteractionPayload, deps: InteractionDeps): Promise<HandledInteraction> {
  const now = deps.now();
  const decoded = await decodePage(String(interaction.data?.custom_id ?? ''), deps.pages, now);
  if (!decoded.ok) {
    return notice(
      decoded.reason === 'expired'
        ? `This page has expired (pages are kept ${PAGE_STATE_TTL_DAYS} days). Ask /twir again for a fresh answer.`
        : 'That button does not belong to /twir.',
    );
  }
  const asker = interaction.message?.interaction_metadata?.user?.id ?? interaction.message?.interaction?.user?.id;
  const clicker = interaction.member?.user?.id ?? interaction.user?.id;
  if (asker && clicker && asker !== clicker)
    return notice(`Only the person who asked can turn these pages. Ask /twir ${decoded.state.command} yourself to page through it.`);
  const command = deps.catalogue.find((c) => c.name === decoded.state.command);
  if (!command) return notice(`"${decoded.state.command.slice(0, 40)}" is no longer a /twir command. Run /twir help.`);
  // A custom_id is whatever the client sent: a forged one must never run a command that changes something.
  if (!isPageable(command)) return notice('That button does not belong to /twir.');
  // Old store states are pruned now and then, on a click rather than a timer, so no process needs a scheduler.
  if (Math.random() < 0.05) await deps.pages.prune(new Date(now.getTime() - PAGE_STATE_TTL_DAYS * 86_400_000).toISOString());
  return present(await run(command, decoded.state, decoded.page, interaction, deps), decoded.state, CALLBACK.UPDATE, deps);
}

/** `near`, `near Bas`, `near Basel 80`, `near Basel 80km` as typed so far: the place and the radius. */
const NEAR_TYPED = /^\s*near(?:\s+(.*?))?(?:\s+(\d+(?:\.\d+)?\s*(?:km)?))?\s*$/i;

function suggest(interaction: InteractionPayload, deps: InteractionDeps): { name: string; value: string | number }[] {
  const sub = subcommandOf(interaction);
  const command = deps.catalogue.find((c) => c.name === sub?.name);
  const focused = sub?.options?.find((o) => o.focused);
  const def = command?.options.find((d) => d.name === focused?.name);
  if (!def?.autocomplete) return [];
  const asOfValue = sub?.options?.find((o) => o.name === AS_OF_OPTION)?.value;
  const asOf = typeof asOfValue === 'string' && isIsoDate(asOfValue) ? asOfValue : localIsoDate(deps.now());
  const typed = typeof focused?.value === 'string' || typeof focused?.value === 'number' ? String(focused.value) : '';
  const max = Math.min(def.maxLength ?? DISCORD_LIMITS.choiceText, DISCORD_LIMITS.choiceText);
  // Picking a choice replaces the whole option, so "near <city> [km]" is completed as a whole, keeping "near" and the radius.
  const near = def.autocomplete === 'places' ? NEAR_TYPED.exec(typed) : null;
  const search = near ? (near[1] ?? '') : typed;
  const dress = near ? (v: string) => `near ${v}${near[2] ? ` ${near[2]}` : ''}` : (v: string) => v;
  return (
    autocomplete(def.autocomplete, search, { archive: deps.archive, asOf, catalogue: deps.catalogue })
      .map(dress)
      .filter((v) => v.length > 0 && v.length <= max)
      .slice(0, DISCORD_LIMITS.autocompleteChoices)
      // An integer option's choices must carry numbers, a string option's strings.
      .map((v) => ({ name: v, value: def.type === 'integer' && /^-?\d+$/.test(v) ? Number(v) : v }))
  );
}

function answer(reply: Reply): HandledInteraction {
  return { response: { type: CALLBACK.MESSAGE, data: renderReply(sanitizeReply(reply)) }, followUps: [] };
}

function notice(text: string): HandledInteraction {
  return { response: { type: CALLBACK.MESSAGE, data: renderNotice(text) }, followUps: [] };
}
