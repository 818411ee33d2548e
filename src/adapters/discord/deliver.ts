/**
 * Sends what handleInteraction decided, the same way for both transports:
 * the initial response through the transport's own channel (the HTTP reply,
 * or the gateway's callback route), then follow-ups and edits through REST.
 * An answer that could be slow is deferred first and edited in later, so
 * Discord's 3-second window is never missed.
 */
import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { Chart } from '../../core/charts/svg.js';
import type { Logger } from '../../logger.js';
import { svgToPng } from '../chart-png.js';
import type { CommandQueue } from '../command-queue.js';
import { recordInteraction } from '../ops/metrics.js';
import { CALLBACK, type HandledInteraction, type InteractionPayload, type InteractionResponse } from './handle-interaction.js';
import { EPHEMERAL, renderNotice, truncate } from './render-reply.js';

/** Sends the initial interaction response (exactly once per interaction). */
export type SendResponse = (
  body: InteractionResponse | { type: typeof CALLBACK.DEFERRED_MESSAGE | typeof CALLBACK.DEFERRED_UPDATE },
) => Promise<void>;

export interface DeliverOptions {
  rest: REST;
  applicationId: string;
  log: Logger;
  /** Defer an answer not sent this long after the interaction arrived (ms from receipt; Discord allows 3 s in all). */
  deferAfterMs: number;
  /** Where commands wait their turn; shared by all interactions of a transport. */
  queue: CommandQueue;
}

/** Said (privately) when so much is queued that an answer would come too late. */
export const BUSY_TEXT = 'twir-bot is very busy right now; please ask again in a minute.';

/** The metrics' outcome label: a public answer, a private one (nothing found, usage error, failure), or another callback. */
function outcomeOf(result: HandledInteraction): string {
  const r = result.response;
  if (r.type === CALLBACK.MESSAGE || r.type === CALLBACK.UPDATE) return ((r.data.flags ?? 0) & EPHEMERAL) !== 0 ? 'private' : 'answer';
  return r.type === CALLBACK.AUTOCOMPLETE ? 'autocomplete' : 'other';
}

/** The cost key of an interaction: the subcommand, or "page" for a button. */
function costKey(interaction: InteractionPayload): string {
  if (interaction.type === 3) return 'page';
  return interaction.data?.options?.find((o) => o.type === 1)?.name ?? String(interaction.data?.name ?? '?');
}

/**
 * Answers one interaction. Cheap commands are answered at once; others take
 * their turn in the queue and are deferred first when the wait so far plus
 * the queue ahead would pass `deferAfterMs`, or as soon as that moment comes
 * while they wait (measured from arrival, not from when they start), then
 * their answer is edited in through REST. Past the queue's bound the asker
 * is told, privately and at once, that the bot is busy.
 */
export async function deliver(
  interaction: InteractionPayload,
  handle: () => HandledInteraction | Promise<HandledInteraction>,
  send: SendResponse,
  options: DeliverOptions,
  receivedAt = performance.now(),
): Promise<void> {
  const { rest, applicationId, log, queue } = options;
  const id = interaction.id ?? '?';
  const token = String(interaction.token ?? '');
  const key = costKey(interaction);
  let timer: NodeJS.Timeout | undefined;
  const run = async (): Promise<HandledInteraction> => {
    const result = await handle();
    const outcome = outcomeOf(result);
    const ms = performance.now() - receivedAt;
    recordInteraction('discord', key, outcome, ms / 1000);
    log.debug(`discord: interaction ${id} ${key} → ${outcome} in ${Math.round(ms)} ms`);
    return result;
  };
  try {
    // Pings and autocomplete cannot be deferred (and never run long): answered in place.
    if (interaction.type !== 2 && interaction.type !== 3) {
      await send((await run()).response);
      return;
    }
    if (queue.isFull(key)) {
      await send({ type: CALLBACK.MESSAGE, data: renderNotice(BUSY_TEXT) });
      return;
    }
    const isComponent = interaction.type === 3;
    let deferred: Promise<void> | null = null;
    const defer = (): Promise<void> => {
      deferred ??= send({ type: isComponent ? CALLBACK.DEFERRED_UPDATE : CALLBACK.DEFERRED_MESSAGE });
      return deferred;
    };
    const waited = performance.now() - receivedAt;
    if (waited + queue.backlogMs + queue.expected(key) >= options.deferAfterMs) {
      // Awaited: the deferral must leave before the command blocks the event loop.
      await defer();
    } else {
      // Still waiting in the queue when the moment comes: defer then (timers run between two queued commands).
      timer = setTimeout(() => void defer().catch(() => undefined), options.deferAfterMs - waited);
    }
    const late = await queue.run(key, () => {
      clearTimeout(timer);
      // Started later than predicted: defer now, before the command blocks the event loop.
      if (!deferred && performance.now() - receivedAt + queue.expected(key) >= options.deferAfterMs) void defer();
      return run();
    });
    if (!deferred) {
      await send(late.response);
      await followUps(late);
      await attachChart(late);
      return;
    }
    await deferred;
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
    await attachChart(late);
  } catch (err) {
    log.error(`interaction ${id}: could not answer: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(timer);
  }

  /**
   * Adds the chart to the answer once it is out, so the words never wait for the picture: the embed
   * shows the PNG as an attachment (`attachment://`), whose description is the chart's text
   * alternative (Discord's alt text). A chart that fails is logged; the answer stands.
   * https://discord.com/developers/docs/reference#uploading-files
   */
  async function attachChart(handled: HandledInteraction): Promise<void> {
    const chart: Chart | undefined = handled.chart;
    const response = handled.response;
    if (!chart || (response.type !== CALLBACK.MESSAGE && response.type !== CALLBACK.UPDATE)) return;
    const embed = response.data.embeds[0];
    if (!embed) return;
    try {
      const png = await svgToPng(chart.svg);
      const name = 'chart.png';
      await rest.patch(Routes.webhookMessage(applicationId, token, '@original'), {
        body: {
          embeds: [{ ...embed, image: { url: `attachment://${name}` } }, ...response.data.embeds.slice(1)],
          attachments: [{ id: 0, filename: name, description: truncate(chart.summary, 1024) }],
        },
        files: [{ name, data: png, contentType: 'image/png' }],
        auth: false,
      });
    } catch (err) {
      log.warn(`interaction ${id}: the answer was sent without its chart: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async function followUps(handled: HandledInteraction): Promise<void> {
    for (const body of handled.followUps) await rest.post(Routes.webhook(applicationId, token), { body, auth: false });
  }
}
