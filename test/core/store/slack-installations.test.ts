import { describe, expect, it } from 'vitest';
import { installationId } from '../../../src/core/store/slack-installations.js';

// Saving, re-installing, finding (org-wide too), removing and listing are the shared-state contract, run against
// SQLite and PostgreSQL: test/shared-state/shared-state.contract.ts.
describe('Slack installation ids', () => {
  it('refuses a key without the id it needs', () => {
    expect(() => installationId({ teamId: null, enterpriseId: null, isEnterpriseInstall: false })).toThrow(/team id/);
    expect(installationId({ teamId: 'T1', enterpriseId: 'E1', isEnterpriseInstall: true })).toBe('E:E1');
  });
});
