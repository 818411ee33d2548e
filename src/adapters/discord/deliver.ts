/**
 * Sends what handleInteraction decided, the same way for both transports:
 * the initial response through the transport's own channel (the HTTP reply,
 * or the gateway's callback route), then follow-ups and edits through REST.
 * An answer that could be slow is deferred first and edited in later, so
 * Discord's 3-second window is never missed.
 */
import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { Logger } from '../../logger.js';
import { recordInteraction } from '../ops/metrics.js';
import { CALLBACK, type HandledInteraction, type InteractionPayload, type InteractionResponse } from './handle-interaction.js';
import { EPHEMERAL } from './render-reply.js';

/** Sends the initial interaction response (exactly once per interaction). */
export type SendResponse = (
  body: InteractionResponse | { type: typeof CALLBACK.DEFERRED_MESSAGE | typeof CALLBACK.DEFERRED_UPDATE },
) => Promise<void>;

export interface DeliverOptions {
  rest: REST;
  applicationId: string;
  log: Logger;
  /** Defer when the wait so far plus the expected cost would pass this (ms from receipt; Discord allows 3 s in all). */
  deferAfterMs: number;
  /** What each kind of interaction cost recently, shared by all interactions of a transport. */
  costs: CostTracker;
}

/**
 * Remembers how long each command took (the slowest of its last runs), so an
 * answer that could be slow is deferred before it starts: commands are
 * synchronous, and once one runs nothing else (not even a timer) can answer
 * Discord until it returns.
 */
export class CostTracker {
  private readonly slowest = new Map<string, number[]>();

  /** The most this kind of interaction took in its last few runs (0 when never seen). */
  expected(key: string): number {
    return Math.max(0, ...(this.slowest.get(key) ?? []));
  }

  record(key: string, ms: number): void {
    const runs = this.slowest.get(key) ?? [];
    runs.push(ms);
    if (runs.length > 8) runs.shift();
    this.slowest.set(key, runs);
  }
}

/** The cost key of an interaction: the subcommand, or "page" for a button. */
/** The metrics' outcome label: a public answer, a private one (nothing found, usage error, failure), or another callback. */
function outcomeOf(result: HandledInteraction): string {
  const r = result.response;
  if (r.type === CALLBACK.MESSAGE || r.type === CALLBACK.UPDATE) return ((r.data.flags ?? 0) & EPHEMERAL) !== 0 ? 'private' : 'answer';
  return r.type === CALLBACK.AUTOCOMPLETE ? 'autocomplete' : 'other';
}

function costKey(interaction: InteractionPayload): string {
  if (interaction.type === 3) return 'page';
  return interaction.data?.options?.find((o) => o.type === 1)?.name ?? String(interaction.data?.name ?? '?');
}

/**
 * Answers one interaction. A command or click that has waited (queued behind
 * others) or is expected to run long is deferred first, then its answer is
 * edited in through REST; everything else is answered directly.
 */
export async function deliver(
  interaction: InteractionPayload,
  handle: () => HandledInteraction,
  send: SendResponse,
  options: DeliverOptions,
  receivedAt = performance.now(),
): Promise<void> {
  const { rest, applicationId, log, costs } = options;
  const id = interaction.id ?? '?';
  const token = String(interaction.token ?? '');
  const key = costKey(interaction);
  const run = (): HandledInteraction => {
    const started = performance.now();
    const result = handle();
    costs.record(key, performance.now() - started);
    const outcome = outcomeOf(result);
    const ms = performance.now() - receivedAt;
    recordInteraction('discord', key, outcome, ms / 1000);
    log.debug(`discord: interaction ${id} ${key} → ${outcome} in ${Math.round(ms)} ms`);
    return result;
  };
  try {
    // Pings and autocomplete cannot be deferred (and never run long).
    const deferrable = interaction.type === 2 || interaction.type === 3;
    const waited = performance.now() - receivedAt;
    if (!deferrable || waited + costs.expected(key) < options.deferAfterMs) {
      const result = run();
      await send(result.response);
      await followUps(result);
      return;
    }
    const isComponent = interaction.type === 3;
    // Awaited: the deferral must leave before the command blocks the event loop.
    await send({ type: isComponent ? CALLBACK.DEFERRED_UPDATE : CALLBACK.DEFERRED_MESSAGE });
    const late = run();
    const original = Routes.webhookMessage(applicationId, token, '@original');
    if (late.response.type === CALLBACK.MESSAGE || late.response.type === CALLBACK.UPDATE) {
      const data = late.response.data;
      const wantsPrivate = ((data.flags ?? 0) & EPHEMERAL) !== 0;
      if (isComponent && late.response.type === CALLBACK.MESSAGE) {
        // A private notice about a click: a follow-up; the message itself stays as it was.
        await rest.post(Routes.webhook(applicationId, token), { body: data, auth: false });
      } else if (wantsPrivate && !isComponent) {
        // The deferred placeholder is public and an edit cannot make it private: replace it.
        await rest.delete(original, { auth: false });
        await rest.post(Routes.webhook(applicationId, token), { body: data, auth: false });
      } else {
        const { flags: _flags, ...edit } = data;
        await rest.patch(original, { body: edit, auth: false });
      }
    }
    await followUps(late);
  } catch (err) {
    log.error(`interaction ${id}: could not answer: ${err instanceof Error ? err.message : String(err)}`);
  }

  async function followUps(handled: HandledInteraction): Promise<void> {
    for (const body of handled.followUps) await rest.post(Routes.webhook(applicationId, token), { body, auth: false });
  }
}
