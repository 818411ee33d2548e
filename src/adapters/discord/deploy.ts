/**
 * `npm run deploy:discord`: registers /twir and the "Find in TWIR" message command with one bulk PUT, to the guild
 * in DISCORD_GUILD_ID (instant, for testing) or globally. A bulk overwrite is
 * idempotent: running it twice leaves the same two commands. Never run at
 * start-up, because Discord limits command creations per day.
 */
import { pathToFileURL } from 'node:url';
import { Routes } from 'discord-api-types/v10';
import { commandList } from '../../../commands/index.js';
import { ConfigError, type DiscordConfig, loadConfig } from '../../config.js';
import { FIND_IN_TWIR } from '../../core/commands/find-in-twir.js';
import { createLogger, type Logger } from '../../logger.js';
import { buildFindInTwirCommand, buildTwirCommand } from './command-schema.js';
import { createDiscordRest, isUnauthorized, REJECTED_TOKEN } from './rest.js';

/** PUTs the command list; resolves with a one-line summary of what was registered where. */
export async function deployCommands(config: DiscordConfig): Promise<string> {
  const rest = createDiscordRest(config);
  const twir = buildTwirCommand(commandList);
  const body = [twir, buildFindInTwirCommand()];
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.applicationId, config.guildId)
    : Routes.applicationCommands(config.applicationId);
  const saved = (await rest.put(route, { body })) as { name?: string; options?: unknown[] }[];
  const subcommands = saved[0]?.options?.length ?? twir.options?.length ?? 0;
  return `Registered /twir with ${subcommands} subcommands and the message command "${FIND_IN_TWIR}" ${config.guildId ? `in guild ${config.guildId} (available now)` : 'globally (may take up to an hour to appear)'}.`;
}

/** The script's body; returns the exit code. */
export async function runDeploy(log: Logger, env?: NodeJS.ProcessEnv): Promise<number> {
  try {
    const config = env ? loadConfig(env) : loadConfig();
    if (!config.discord) {
      log.error('DISCORD_TOKEN: not set (the bot token from the Bot page of your application)');
      return 1;
    }
    log.info(await deployCommands(config.discord));
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) log.error(err.message);
    else if (isUnauthorized(err)) log.error(REJECTED_TOKEN);
    else log.error(`deploy failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

// Run as a script (node dist/src/adapters/discord/deploy.js), not when imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runDeploy(createLogger());
}
