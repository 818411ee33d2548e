/** `npm run deploy:discord` against the fake: one bulk PUT of /twir and "Find in TWIR", as Discord's schema accepts them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandList } from '../../../commands/index.js';
import { buildFindInTwirCommand, buildTwirCommand } from '../../../src/adapters/discord/command-schema.js';
import { runDeploy } from '../../../src/adapters/discord/deploy.js';
import { APP_ID, BOT_TOKEN, commandErrors, FakeDiscord, GUILD_ID } from '../../support/fake-discord.js';
import { captureLog } from './support.js';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await new FakeDiscord().start();
});
afterAll(async () => fake?.close());

type Option = {
  name: string;
  type: number;
  required?: boolean;
  autocomplete?: boolean;
  choices?: unknown[];
  options?: Option[];
  max_length?: number;
};

describe('the /twir command', () => {
  const command = buildTwirCommand(commandList) as unknown as Option & { integration_types: number[]; contexts: number[] };

  it('is valid for Discord: names, lengths, required first, at most 25 options and choices', () => {
    expect(commandErrors(command, 'twir')).toEqual([]);
  });

  it('has one subcommand per command, with as-of where dates matter and autocomplete where a source exists', () => {
    const subs = command.options ?? [];
    expect(subs.map((s) => s.name)).toEqual(commandList.map((c) => c.name));
    const crate = subs.find((s) => s.name === 'crate');
    expect(crate?.options?.map((o) => o.name)).toEqual(['query', 'as-of']);
    expect(crate?.options?.[0]).toMatchObject({ type: 3, autocomplete: true, max_length: 200 });
    const search = subs.find((s) => s.name === 'search');
    expect(search?.options?.[0]).toMatchObject({ name: 'query', required: true });
    expect(search?.options?.find((o) => o.name === 'year')?.type).toBe(4);
    expect(subs.find((s) => s.name === 'help')?.options?.map((o) => o.name)).toEqual(['command']);
  });

  it('fits a long description in 100 characters by dropping its asides, not by cutting it mid-word', () => {
    const events = (command.options ?? []).find((s) => s.name === 'events') as { description: string } | undefined;
    expect(events?.description.length).toBeLessThanOrEqual(100);
    expect(events?.description).toContain('"near <city> [km]"');
    expect(events?.description).not.toContain('…');
  });

  it('installs to servers and users, usable in servers, the bot DM and private channels', () => {
    expect(command.integration_types).toEqual([0, 1]);
    expect(command.contexts).toEqual([0, 1, 2]);
  });
});

describe('the Find in TWIR message command', () => {
  const command = buildFindInTwirCommand() as unknown as Record<string, unknown>;

  it('is a message context-menu command Discord accepts, named as people read it, installed where /twir is', () => {
    expect(command).toEqual({ name: 'Find in TWIR', type: 3, integration_types: [0, 1], contexts: [0, 1, 2] });
    expect(commandErrors(command, 'find')).toEqual([]);
  });

  it('would be refused by the fake as Discord refuses it: with a description, options or a name over 32 characters', () => {
    expect(commandErrors({ ...command, description: 'Look it up' }, 'find')).not.toEqual([]);
    expect(commandErrors({ ...command, options: [] }, 'find')).not.toEqual([]);
    expect(commandErrors({ ...command, name: 'F'.repeat(33) }, 'find')).not.toEqual([]);
    // A slash command's name may not have spaces or capitals: the same name as type 1 is refused.
    expect(commandErrors({ ...command, type: 1, description: 'x' }, 'find')).not.toEqual([]);
  });
});

describe('runDeploy', () => {
  const env = () => ({ DISCORD_TOKEN: BOT_TOKEN, DISCORD_API_BASE: fake.apiBase });

  it('registers /twir and Find in TWIR globally with one PUT, idempotently', async () => {
    const { log, lines } = captureLog();
    expect(await runDeploy(log, env())).toBe(0);
    expect(await runDeploy(log, env())).toBe(0);
    const puts = fake.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path)).toEqual([`/applications/${APP_ID}/commands`, `/applications/${APP_ID}/commands`]);
    const saved = fake.commands.get(`/applications/${APP_ID}/commands`) as { name: string; type: number }[];
    expect(saved.map((c) => [c.name, c.type])).toEqual([
      ['twir', 1],
      ['Find in TWIR', 3],
    ]);
    expect(fake.rejected).toEqual([]);
    expect(lines.at(-1)).toMatch(
      new RegExp(`Registered /twir with ${commandList.length} subcommands and the message command "Find in TWIR" globally`),
    );
  });

  it('registers to the guild in DISCORD_GUILD_ID', async () => {
    const { log } = captureLog();
    expect(await runDeploy(log, { ...env(), DISCORD_GUILD_ID: GUILD_ID })).toBe(0);
    expect(fake.commands.has(`/applications/${APP_ID}/guilds/${GUILD_ID}/commands`)).toBe(true);
  });

  it('names DISCORD_TOKEN in one line when Discord rejects it, or when it is missing', async () => {
    const rejected = captureLog();
    const wrong = `${BOT_TOKEN.slice(0, -3)}zzz`;
    expect(await runDeploy(rejected.log, { ...env(), DISCORD_TOKEN: wrong })).toBe(1);
    expect(rejected.lines).toEqual([expect.stringMatching(/^error: DISCORD_TOKEN: Discord rejected the token/)]);
    const missing = captureLog();
    expect(await runDeploy(missing.log, {})).toBe(1);
    expect(missing.lines).toEqual([expect.stringMatching(/^error: DISCORD_TOKEN/)]);
  });
});
