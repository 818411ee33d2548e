/**
 * Slack workspaces (or Enterprise Grid organisations) that installed the app
 * through OAuth, one row each, so every replica answers and delivers with the
 * right workspace's token. The interface is async because PostgreSQL backs it
 * when several replicas run; the SQLite implementation here is the embedded
 * default (migration 9 creates its table).
 *
 * The adapter turns Bolt's `Installation` into a record and back; nothing
 * here knows Bolt's types (core never imports @slack/*), it keeps the
 * installation as the JSON Bolt gave it.
 */
import type Database from 'better-sqlite3';

/** What one installation is filed under: the team, or the organisation for an org-wide install. */
export interface InstallationKey {
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
}

export interface SlackInstallationRecord extends InstallationKey {
  teamName: string | null;
  botToken: string;
  botUserId: string | null;
  /** Bolt's Installation object as JSON, handed back to Bolt unchanged. */
  installation: string;
  /** ISO time of the (latest) install. */
  installedAt: string;
}

export interface SlackInstallationStore {
  /** Creates or replaces (re-install) the installation under its key. */
  save(record: SlackInstallationRecord): Promise<void>;
  /** The installation for a workspace; an org-wide install answers for every team of its organisation. */
  find(key: InstallationKey): Promise<SlackInstallationRecord | undefined>;
  /** Forgets an installation (app_uninstalled, tokens_revoked); false when there was none. */
  remove(key: InstallationKey): Promise<boolean>;
  list(): Promise<SlackInstallationRecord[]>;
}

/** `T:<team>` or `E:<enterprise>` (org-wide): the primary key both backends use. */
export function installationId(key: InstallationKey): string {
  if (key.isEnterpriseInstall) {
    if (!key.enterpriseId) throw new Error('an org-wide Slack installation needs an enterprise id');
    return `E:${key.enterpriseId}`;
  }
  if (!key.teamId) throw new Error('a Slack installation needs a team id');
  return `T:${key.teamId}`;
}

interface InstallationRow {
  id: string;
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise_install: number;
  team_name: string | null;
  bot_token: string;
  bot_user_id: string | null;
  installation: string;
  installed_at: string;
}

/** Row → record; exported for the PostgreSQL backend, whose rows have the same columns. */
export function installationFromRow(
  row: Omit<InstallationRow, 'is_enterprise_install'> & { is_enterprise_install: number | boolean },
): SlackInstallationRecord {
  return {
    teamId: row.team_id,
    enterpriseId: row.enterprise_id,
    isEnterpriseInstall: Boolean(row.is_enterprise_install),
    teamName: row.team_name,
    botToken: row.bot_token,
    botUserId: row.bot_user_id,
    installation: row.installation,
    installedAt: row.installed_at,
  };
}

/** The installation store on the main SQLite store's connection. */
export function createSqliteInstallationStore(db: Database.Database): SlackInstallationStore {
  const s = {
    upsert: db.prepare(
      `INSERT INTO slack_installations (id, team_id, enterprise_id, is_enterprise_install, team_name, bot_token, bot_user_id, installation, installed_at)
       VALUES (@id, @teamId, @enterpriseId, @isEnterpriseInstall, @teamName, @botToken, @botUserId, @installation, @installedAt)
       ON CONFLICT(id) DO UPDATE SET team_id = excluded.team_id, enterprise_id = excluded.enterprise_id,
         is_enterprise_install = excluded.is_enterprise_install, team_name = excluded.team_name, bot_token = excluded.bot_token,
         bot_user_id = excluded.bot_user_id, installation = excluded.installation, installed_at = excluded.installed_at`,
    ),
    byId: db.prepare('SELECT * FROM slack_installations WHERE id = ?'),
    remove: db.prepare('DELETE FROM slack_installations WHERE id = ?'),
    all: db.prepare('SELECT * FROM slack_installations ORDER BY id'),
  };
  const get = (id: string) => s.byId.get(id) as InstallationRow | undefined;
  return {
    async save(record) {
      s.upsert.run({ ...record, id: installationId(record), isEnterpriseInstall: record.isEnterpriseInstall ? 1 : 0 });
    },
    async find(key) {
      // A workspace of an organisation that installed org-wide is answered by the organisation's row.
      const row =
        (key.teamId && !key.isEnterpriseInstall ? get(`T:${key.teamId}`) : undefined) ??
        (key.enterpriseId ? get(`E:${key.enterpriseId}`) : undefined);
      return row ? installationFromRow(row) : undefined;
    },
    async remove(key) {
      return s.remove.run(installationId(key)).changes > 0;
    },
    async list() {
      return (s.all.all() as InstallationRow[]).map(installationFromRow);
    },
  };
}
