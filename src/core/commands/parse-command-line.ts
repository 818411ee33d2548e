/**
 * Turns one line of text (`events berlin --as-of 2024-10-30`, `/twir search
 * "async closures" year:2024`) into a command and typed arguments, using the
 * neutral option definitions. The console uses it for every line, and the
 * Slack adapter will for its single `text` field, so both accept the same
 * syntax and give the same errors.
 */
import Fuse from 'fuse.js';
import { isIsoDate } from '../dates.js';
import { type Reply, usageError } from '../reply/reply.js';
import type { CommandArgs, CommandDefinition, OptionDefinition } from './definition.js';

/** Longest line accepted; anything longer is refused before it is looked at. */
export const MAX_LINE_LENGTH = 2000;

/** Options every command takes. */
export interface GlobalOptions {
  asOf?: string;
  page?: number;
  json?: boolean;
  /**
   * The newest issue number a paged answer's first page saw (set by the
   * adapters from a page button, never typed): later pages answer from the
   * archive as it was then, so an issue published meanwhile does not shift them.
   */
  pin?: number;
}

/** A parsed line; a line not understood still carries the global options read from it (`--json`). */
export type ParsedLine =
  | { ok: true; command: CommandDefinition; args: CommandArgs; global: GlobalOptions }
  | { ok: false; reply: Reply; global: GlobalOptions };

/** Parses a command line against the catalogue. Never throws. */
export function parseCommandLine(line: string, catalogue: readonly CommandDefinition[]): ParsedLine {
  if (line.length > MAX_LINE_LENGTH) return tooLong(line.length);
  return parseCommandWords(tokenize(straightenPunctuation(line).trim()), catalogue);
}

/**
 * Undoes the "smart punctuation" phones and Macs type: curly quotes become
 * straight ones, and a dash (em or en) starting a word becomes `--`
 * (`—year 2024` was typed as `--year 2024`). A dash between words stays.
 */
export function straightenPunctuation(line: string): string {
  return line
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/(^|\s)[\u2014\u2013\u2012\u2015\u2212]+(?=[a-z])/gi, '$1--');
}

/** Parses words already split (a shell's argv) against the catalogue. Never throws. */
export function parseCommandWords(input: readonly string[], catalogue: readonly CommandDefinition[]): ParsedLine {
  const global: GlobalOptions = {};
  const length = input.reduce((n, w) => n + w.length + 1, 0);
  if (length > MAX_LINE_LENGTH) return tooLong(length, global);
  const words = [...input];
  // `--json` anywhere, even on a line that is not understood: its usage error is still JSON.
  for (let i = words.length - 1; i >= 0; i--) {
    if (!/^--?json$/i.test(words[i] as string)) continue;
    words.splice(i, 1);
    global.json = true;
  }
  // Before the command: `/twir` as typed in chat (help writes its examples so), and global options.
  while (words.length > 0) {
    if (/^\/?twir$/i.test(words[0] as string)) {
      words.shift();
      continue;
    }
    const flag = /^--?(as-?of|page)(?:=(.*))?$/i.exec(words[0] as string);
    if (!flag) break;
    words.shift();
    const value = flag[2] ?? words.shift();
    const key = (flag[1] as string).toLowerCase();
    if (value === undefined) return fail(`"--${key}" needs a value.`, '"help" lists every command.', global);
    const err = setGlobal(key, value, global);
    if (err) return fail(err, '"help" lists every command.', global);
  }
  const name = (words.shift() ?? 'help').toLowerCase();
  const command = catalogue.find((c) => c.name === name);
  if (!command) {
    const guess = closestCommand(name, catalogue);
    return fail(`Unknown command "${name.slice(0, 40)}".`, guess ? didYouMean(guess) : '"help" lists every command.', global);
  }
  const usage = (message: string): ParsedLine => fail(message, usageHint(command), global);
  const raw = new Map<string, string>();
  const bare: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const flag = /^--?([a-z][a-z-]*)(?:=(.*))?$/i.exec(word);
    const keyed = /^([a-z][a-z-]*):(.+)$/i.exec(word);
    if (flag) {
      const key = (flag[1] as string).toLowerCase();
      const value = flag[2] ?? words[++i];
      if (value === undefined) return usage(`"${key}" needs a value.`);
      const err = setOption(command, key, value, raw, global);
      if (err) return usage(err);
    } else if (keyed && isKnownKey(command, (keyed[1] as string).toLowerCase())) {
      const err = setOption(command, (keyed[1] as string).toLowerCase(), keyed[2] as string, raw, global);
      if (err) return usage(err);
    } else {
      bare.push(word);
    }
  }
  // Bare words fill positional options in order; a `rest` option takes the remainder.
  const positional = command.options.filter((o) => o.positional);
  for (const opt of positional) {
    if (bare.length === 0 || raw.has(opt.name)) continue;
    raw.set(opt.name, opt.rest ? bare.splice(0).join(' ') : (bare.shift() as string));
  }
  if (bare.length > 0) return usage(`I don't know what to do with "${bare.join(' ').slice(0, 60)}".`);
  const args: CommandArgs = {};
  for (const opt of command.options) {
    const value = raw.get(opt.name);
    if (value === undefined || value === '') {
      // The option's description, never its internal name ("which", "filter") that nobody typed.
      if (opt.required) return usage(`"${command.name}" needs ${lowerFirst(opt.description)}.`);
      continue;
    }
    const checked = checkValue(opt, value);
    if (typeof checked === 'object') return usage(checked.error);
    args[opt.name] = checked;
  }
  return { ok: true, command, args, global };
}

/** Validates a value for an option; returns the typed value or an error. */
export function checkValue(opt: OptionDefinition, value: string): string | number | { error: string } {
  const max = opt.maxLength ?? 200;
  const what = optionLabel(opt);
  if (value.length > max) return { error: `${what} is ${value.length.toLocaleString('en')} characters long; the limit is ${max}.` };
  if (opt.type === 'integer') {
    if (!/^-?\d{1,9}$/.test(value.trim())) return { error: `${what} must be a whole number, not "${value.slice(0, 30)}".` };
    return Number(value.trim());
  }
  if (opt.type === 'date' && !isIsoDate(value)) return { error: `${what} must be a date like 2024-10-30, not "${value.slice(0, 30)}".` };
  if (opt.choices && !opt.choices.includes(value.toLowerCase())) return { error: `${what} must be one of: ${opt.choices.join(', ')}.` };
  return value;
}

/**
 * How messages name an option: a keyed one by the key the user typed
 * (`year`), a positional one by what it is ("The text"), since its internal
 * name ("which", "filter") is nowhere on the line.
 */
function optionLabel(opt: OptionDefinition): string {
  return opt.positional ? 'The text' : `"${opt.name}"`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function setOption(command: CommandDefinition, key: string, value: string, raw: Map<string, string>, global: GlobalOptions): string | null {
  if (key === 'as-of' || key === 'asof' || key === 'page') return setGlobal(key, value, global);
  const opt = command.options.find((o) => o.name === key);
  if (!opt) return `"${command.name}" has no option "${key.slice(0, 30)}".`;
  raw.set(opt.name, value);
  return null;
}

/** Sets `as-of` or `page`; the error message, or null. */
function setGlobal(key: string, value: string, global: GlobalOptions): string | null {
  if (key === 'as-of' || key === 'asof') {
    if (!isIsoDate(value)) return `The as-of date must be a real date like 2024-10-30, not "${value.slice(0, 30)}".`;
    global.asOf = value;
    return null;
  }
  if (key === 'page') {
    if (!/^\d{1,4}$/.test(value) || Number(value) < 1) return `The page must be a number from 1, not "${value.slice(0, 30)}".`;
    global.page = Number(value);
    return null;
  }
  return null;
}

function isKnownKey(command: CommandDefinition, key: string): boolean {
  return key === 'as-of' || key === 'page' || command.options.some((o) => o.name === key);
}

/**
 * Splits a line into words: a quoted phrase is one word, also as the value of
 * `key:"two words"` (how Slack users write an option with spaces); quotes
 * inside a word (`don't`) or left unclosed are kept as typed.
 */
function tokenize(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/([a-z][a-z-]*:)?(?:"([^"]*)"|'([^']*)')(?=\s|$)|(\S+)/gi)) {
    out.push(m[4] ?? `${m[1] ?? ''}${m[2] ?? m[3] ?? ''}`);
  }
  return out;
}

function usageHint(command: CommandDefinition): string {
  const opts = command.options
    .map((o) => {
      const shown = o.placeholder ?? o.name;
      return o.positional ? (o.required ? `<${shown}>` : `[${shown}]`) : `[${o.name}:…]`;
    })
    .join(' ');
  return `Usage: ${command.name}${opts ? ` ${opts}` : ''}. Example: ${command.examples[0] ?? command.name}`;
}

/** The command name closest to a mistyped one, if any is close. */
export function closestCommand(name: string, catalogue: readonly CommandDefinition[]): string | undefined {
  return new Fuse(
    catalogue.map((c) => c.name),
    { threshold: 0.5 },
  ).search(name.slice(0, 40))[0]?.item;
}

export function didYouMean(command: string): string {
  return `Did you mean "${command}"? "help ${command}" explains it; "help" lists every command.`;
}

function tooLong(length: number, global: GlobalOptions = {}): ParsedLine {
  return fail(
    `That is ${length.toLocaleString('en')} characters; the most I read is ${MAX_LINE_LENGTH.toLocaleString('en')}.`,
    'Ask something shorter.',
    global,
  );
}

function fail(message: string, hint: string | undefined, global: GlobalOptions): ParsedLine {
  return { ok: false, reply: usageError(message, hint), global };
}
