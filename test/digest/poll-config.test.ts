import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('TWIR_POLL_CRON', () => {
  it('defaults to every 30 minutes and accepts 5- and 6-field patterns', () => {
    expect(loadConfig({}).digest.pollCron).toBe('*/30 * * * *');
    expect(loadConfig({ TWIR_POLL_CRON: '0 */10 * * * *' }).digest.pollCron).toBe('0 */10 * * * *');
    expect(loadConfig({ TWIR_POLL_CRON: ' 15 * * * 1-5 ' }).digest.pollCron).toBe('15 * * * 1-5');
  });

  it('refuses what croner cannot run, naming the variable', () => {
    for (const bad of ['every 30 minutes', '* * *', '61 * * * *', '* * * * * * *']) {
      expect(() => loadConfig({ TWIR_POLL_CRON: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ TWIR_POLL_CRON: bad })).toThrow(/^TWIR_POLL_CRON: /);
    }
  });
});
