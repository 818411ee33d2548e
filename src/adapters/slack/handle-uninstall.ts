/**
 * `app_uninstalled` and `tokens_revoked` (OAuth mode): the workspace's
 * installation is removed (its token no longer works) and its digest
 * subscriptions are paused with the reason, so the fan-out stops trying and
 * `/twir digest` and `twir digest status` say why. Reinstalling and running
 * `/twir subscribe` in a channel resumes that channel. Both events may come,
 * in either order: the second finds nothing left to do. Bolt delivers them
 * without authorizing (the token is already gone).
 * https://docs.slack.dev/reference/events/app_uninstalled · https://docs.slack.dev/reference/events/tokens_revoked
 */
import type { SlackInstallationStore } from '../../core/store/slack-installations.js';
import type { DigestStore } from '../../digest/digest-store.js';
import type { Logger } from '../../logger.js';
import { installationKey } from './installation-store.js';

export interface UninstallDeps {
  installations: SlackInstallationStore;
  digest: Pick<DigestStore, 'subscriptions' | 'pause'>;
  log: Logger;
  now: () => Date;
}

/** What Bolt hands an event listener, narrowed to what this one reads. */
export interface UninstallArgs {
  event: { type: string; tokens?: { bot?: string[]; oauth?: string[] } };
  body: { team_id?: string; enterprise_id?: string };
  context: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean };
}

/** The paused subscriptions' reason, per event. */
export const UNINSTALL_REASONS: Record<string, string> = {
  app_uninstalled:
    'the Slack app was uninstalled from this workspace; reinstall it (PUBLIC_URL/slack/install) and run /twir subscribe here to resume',
  tokens_revoked:
    "the Slack app's bot token was revoked in this workspace; reinstall it (PUBLIC_URL/slack/install) and run /twir subscribe here to resume",
};

/** The listener for `app.event('app_uninstalled')` and `app.event('tokens_revoked')`. Never throws. */
export function createUninstallListener(deps: UninstallDeps) {
  return async ({ event, body, context }: UninstallArgs): Promise<void> => {
    // Only the bot token matters here (the app asks for no user tokens).
    if (event.type === 'tokens_revoked' && !event.tokens?.bot?.length) return;
    const teamId = context.teamId ?? body.team_id;
    try {
      const key = installationKey({
        teamId,
        enterpriseId: context.enterpriseId ?? body.enterprise_id,
        isEnterpriseInstall: context.isEnterpriseInstall,
      });
      const removed = await deps.installations.remove(key);
      const reason = UNINSTALL_REASONS[event.type] ?? `Slack ${event.type}`;
      let paused = 0;
      for (const s of await deps.digest.subscriptions()) {
        if (s.platform !== 'slack' || s.workspaceId !== teamId || s.pausedAt !== null) continue;
        await deps.digest.pause(s.id, reason, deps.now());
        paused++;
      }
      deps.log.info(
        `slack: ${event.type} in workspace ${teamId}: installation ${removed ? 'removed' : 'already gone'}, ${paused} digest subscription(s) paused`,
      );
    } catch (err) {
      deps.log.error(`slack: ${event.type} in workspace ${teamId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}
