import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Installation } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boltInstallationStore, NoInstallationError, workspaceTokens } from '../../../src/adapters/slack/installation-store.js';
import { createSqliteInstallationStore } from '../../../src/core/store/slack-installations.js';
import { type IssueStore, openStore } from '../../../src/core/store/store.js';

const installation = (team: string, token: string): Installation => ({
  team: { id: team, name: `Workspace ${team}` },
  enterprise: undefined,
  user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
  bot: { token, scopes: ['commands', 'chat:write'], id: `B${team}`, userId: `UBOT${team}` },
  tokenType: 'bot',
  isEnterpriseInstall: false,
  appId: 'A1',
  authVersion: 'v2',
});

describe("Bolt's installationStore over the store's Slack installations", () => {
  let dir: string;
  let store: IssueStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'twir-slack-installs-'));
    store = openStore({ path: join(dir, 'twir.db') });
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores an installation, hands it back to Bolt unchanged, and replaces it on a reinstall', async () => {
    const bolt = boltInstallationStore(createSqliteInstallationStore(store.db), () => new Date('2026-01-02T03:04:05Z'));
    await bolt.storeInstallation(installation('TA', 'xoxb-a-1'));
    await bolt.storeInstallation(installation('TA', 'xoxb-a-2'));
    const query = { teamId: 'TA', enterpriseId: undefined, isEnterpriseInstall: false } as const;
    expect(await bolt.fetchInstallation(query)).toEqual(installation('TA', 'xoxb-a-2'));
    expect(await createSqliteInstallationStore(store.db).list()).toMatchObject([
      { teamId: 'TA', teamName: 'Workspace TA', botToken: 'xoxb-a-2', botUserId: 'UBOTTA', installedAt: '2026-01-02T03:04:05.000Z' },
    ]);
    expect(await workspaceTokens(createSqliteInstallationStore(store.db))('TA')).toBe('xoxb-a-2');
  });

  it('a workspace without an installation: fetch throws (Bolt refuses the request), the digest finds no token', async () => {
    const bolt = boltInstallationStore(createSqliteInstallationStore(store.db));
    await expect(bolt.fetchInstallation({ teamId: 'TZ', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow(
      NoInstallationError,
    );
    expect(await workspaceTokens(createSqliteInstallationStore(store.db))('TZ')).toBeNull();
    await bolt.deleteInstallation?.({ teamId: 'TA', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(await createSqliteInstallationStore(store.db).list()).toEqual([]);
  });

  it('refuses an installation without a bot token (the app asks for no user scopes)', async () => {
    const bolt = boltInstallationStore(createSqliteInstallationStore(store.db));
    const { bot: _bot, ...userOnly } = installation('TB', 'x');
    await expect(bolt.storeInstallation(userOnly)).rejects.toThrow(/no bot token/);
  });
});
