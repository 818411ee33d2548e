/**
 * Bolt's `installationStore` over the store's Slack installations (OAuth
 * mode): Bolt hands over an `Installation` after each install and asks for
 * it back to authorize every request; the record keeps the whole object as
 * JSON, with the columns both backends index. The store itself is the shared
 * state's (`ctx.shared.installations`: SQLite, or PostgreSQL with DATABASE_URL),
 * so the digest poster and the Bolt App read the same rows.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { InstallationKey, SlackInstallationStore } from '../../core/store/slack-installations.js';

/** The key of a Bolt query or installation: the team, or the organisation for an org-wide install. */
export function installationKey(q: {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}): InstallationKey {
  return { teamId: q.teamId ?? null, enterpriseId: q.enterpriseId ?? null, isEnterpriseInstall: q.isEnterpriseInstall === true };
}

/** Thrown by `fetchInstallation` for a workspace with no installation: Bolt then refuses the request (logged, acked). */
export class NoInstallationError extends Error {
  constructor(readonly key: InstallationKey) {
    super(`no Slack installation for ${key.isEnterpriseInstall ? `organisation ${key.enterpriseId}` : `workspace ${key.teamId}`}`);
    this.name = 'NoInstallationError';
  }
}

/** Bolt's InstallationStore over `installations`; `now` stamps each install. */
export function boltInstallationStore(installations: SlackInstallationStore, now: () => Date = () => new Date()): InstallationStore {
  return {
    async storeInstallation(installation) {
      const key = installationKey({
        teamId: installation.team?.id,
        enterpriseId: installation.enterprise?.id,
        isEnterpriseInstall: installation.isEnterpriseInstall,
      });
      // Only bot installs are of use here (the manifest asks for no user scopes).
      if (!installation.bot?.token) throw new Error('the Slack installation carries no bot token');
      await installations.save({
        ...key,
        teamName: installation.team?.name ?? installation.enterprise?.name ?? null,
        botToken: installation.bot.token,
        botUserId: installation.bot.userId ?? null,
        installation: JSON.stringify(installation),
        installedAt: now().toISOString(),
      });
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const key = installationKey(query);
      const record = await installations.find(key);
      if (!record) throw new NoInstallationError(key);
      return JSON.parse(record.installation) as Installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await installations.remove(installationKey(query));
    },
  };
}

/**
 * The bot token for a workspace (a digest's `workspaceId` is its team id), or null when the app is
 * not installed there; a workspace of an organisation that installed org-wide is answered by the
 * organisation's row only when its enterprise id is known, which a subscription does not record.
 */
export function workspaceTokens(installations: SlackInstallationStore): (teamId: string) => Promise<string | null> {
  return async (teamId) => {
    const record = await installations.find({ teamId, enterpriseId: null, isEnterpriseInstall: false });
    return record?.botToken ?? null;
  };
}
