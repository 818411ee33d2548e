/**
 * The adapters this configuration asks for: the chat adapters, then the web
 * page (on unless TWIR_WEB=off). Each is imported only when configured, so a
 * console-only install never loads discord.js or Bolt.
 */
import type { Config } from '../config.js';
import type { StartAdapter } from './host.js';

export async function configuredAdapters(config: Config): Promise<StartAdapter[]> {
  const starters: StartAdapter[] = [];
  if (config.discord) starters.push((await import('./discord/start.js')).startDiscord);
  if (config.slack) starters.push((await import('./slack/start.js')).startSlack);
  if (config.web) starters.push((await import('./web/start.js')).startWeb);
  return starters;
}
