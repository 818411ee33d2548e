import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSqliteInstallationStore,
  installationId,
  type SlackInstallationRecord,
} from '../../../src/core/store/slack-installations.js';
import { type IssueStore, openStore } from '../../../src/core/store/store.js';

const record = (over: Partial<SlackInstallationRecord>): SlackInstallationRecord => ({
  teamId: 'T1',
  enterpriseId: null,
  isEnterpriseInstall: false,
  teamName: 'One',
  botToken: 'xoxb-1',
  botUserId: 'U1',
  installation: '{"team":{"id":"T1"}}',
  installedAt: '2026-12-05T00:00:00.000Z',
  ...over,
});

describe('SQLite Slack installation store', () => {
  let dir: string;
  let store: IssueStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'twir-inst-'));
    store = openStore({ path: join(dir, 'x.db') });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('saves, re-installs in place, finds by team or organisation, and removes', async () => {
    const installs = createSqliteInstallationStore(store.db);
    await installs.save(record({}));
    await installs.save(record({ botToken: 'xoxb-1b' }));
    await installs.save(record({ teamId: null, enterpriseId: 'E9', isEnterpriseInstall: true, botToken: 'xoxb-org' }));
    expect((await installs.list()).map((r) => r.botToken)).toEqual(['xoxb-org', 'xoxb-1b']);
    expect((await installs.find({ teamId: 'T1', enterpriseId: null, isEnterpriseInstall: false }))?.botToken).toBe('xoxb-1b');
    // A team of the organisation that installed org-wide gets the organisation's token.
    expect((await installs.find({ teamId: 'T7', enterpriseId: 'E9', isEnterpriseInstall: false }))?.botToken).toBe('xoxb-org');
    expect(await installs.find({ teamId: 'T2', enterpriseId: null, isEnterpriseInstall: false })).toBeUndefined();
    expect(await installs.remove({ teamId: 'T1', enterpriseId: null, isEnterpriseInstall: false })).toBe(true);
    expect(await installs.remove({ teamId: 'T1', enterpriseId: null, isEnterpriseInstall: false })).toBe(false);
    expect((await installs.list()).map((r) => r.isEnterpriseInstall)).toEqual([true]);
  });

  it('refuses a key without the id it needs', () => {
    expect(() => installationId({ teamId: null, enterpriseId: null, isEnterpriseInstall: false })).toThrow(/team id/);
    expect(installationId({ teamId: 'T1', enterpriseId: 'E1', isEnterpriseInstall: true })).toBe('E:E1');
  });
});
