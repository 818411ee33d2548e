/**
 * The static index of /twir commands, in the order help lists them. Adapters
 * register exactly these; adding a command means adding a file and a line here.
 */
import type { CommandDefinition } from '../src/core/commands/definition.js';
import { cfp } from './cfp.js';
import { cft } from './cft.js';
import { crate } from './crate.js';
import { digest } from './digest.js';
import { events } from './events.js';
import { fcp } from './fcp.js';
import { helpCommand } from './help.js';
import { issue } from './issue.js';
import { jobs } from './jobs.js';
import { latest } from './latest.js';
import { perf } from './perf.js';
import { quote } from './quote.js';
import { rfcs } from './rfcs.js';
import { search } from './search.js';
import { subscribe } from './subscribe.js';
import { unsubscribe } from './unsubscribe.js';

const help = helpCommand(() => commandList);

export const commandList: readonly CommandDefinition[] = [
  latest,
  issue,
  crate,
  events,
  fcp,
  rfcs,
  cft,
  cfp,
  quote,
  perf,
  jobs,
  search,
  subscribe,
  unsubscribe,
  digest,
  help,
];
