/**
 * Slack installations on PostgreSQL: the same interface and semantics as the
 * SQLite store (src/core/store/slack-installations.ts), including the
 * org-wide lookup: a team of an organisation that installed org-wide is
 * answered by the organisation's row.
 */
import {
  installationFromRow,
  installationId,
  type SlackInstallationRecord,
  type SlackInstallationStore,
} from '../../core/store/slack-installations.js';
import type { Pool } from './pool.js';

type Row = Parameters<typeof installationFromRow>[0];

export function createPgInstallationStore(pool: Pool): SlackInstallationStore {
  const get = async (id: string): Promise<Row | undefined> =>
    (await pool.query<Row>('SELECT * FROM slack_installations WHERE id = $1', [id])).rows[0];
  return {
    async save(record: SlackInstallationRecord) {
      await pool.query(
        `INSERT INTO slack_installations (id, team_id, enterprise_id, is_enterprise_install, team_name, bot_token, bot_user_id, installation, installed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET team_id = excluded.team_id, enterprise_id = excluded.enterprise_id,
           is_enterprise_install = excluded.is_enterprise_install, team_name = excluded.team_name, bot_token = excluded.bot_token,
           bot_user_id = excluded.bot_user_id, installation = excluded.installation, installed_at = excluded.installed_at`,
        [
          installationId(record),
          record.teamId,
          record.enterpriseId,
          record.isEnterpriseInstall,
          record.teamName,
          record.botToken,
          record.botUserId,
          record.installation,
          record.installedAt,
        ],
      );
    },
    async find(key) {
      const row =
        (key.teamId && !key.isEnterpriseInstall ? await get(`T:${key.teamId}`) : undefined) ??
        (key.enterpriseId ? await get(`E:${key.enterpriseId}`) : undefined);
      return row ? installationFromRow(row) : undefined;
    },
    async remove(key) {
      const r = await pool.query('DELETE FROM slack_installations WHERE id = $1', [installationId(key)]);
      return (r.rowCount ?? 0) > 0;
    },
    async list() {
      // Byte-wise (COLLATE "C" column), as SQLite orders the ids.
      return (await pool.query<Row>('SELECT * FROM slack_installations ORDER BY id')).rows.map(installationFromRow);
    },
  };
}
