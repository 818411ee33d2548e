import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

function variableOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.variable;
    throw err;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(env)}`);
}

describe('Slack configuration', () => {
  it("is off without SLACK_BOT_TOKEN, and HTTP mode with Slack's own API by default", () => {
    expect(loadConfig({}).slack).toBeNull();
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2', SLACK_SIGNING_SECRET: 'sec' }).slack).toEqual({
      botToken: 'xoxb-1-2',
      signingSecret: 'sec',
      appToken: null,
      apiUrl: 'https://slack.com/api/',
      subscribeRole: 'admin',
      postsPerMinute: 300,
    });
  });

  it('uses Socket Mode with SLACK_APP_TOKEN, needing no signing secret', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A' }).slack?.appToken).toBe('xapp-1-A');
  });

  it('gives SLACK_API_URL the one trailing slash Bolt needs, however it was written', () => {
    for (const url of ['http://127.0.0.1:9/api', 'http://127.0.0.1:9/api/', 'http://127.0.0.1:9/api//']) {
      expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: url }).slack?.apiUrl).toBe(
        'http://127.0.0.1:9/api/',
      );
    }
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-wrong-kind' }, 'SLACK_APP_TOKEN'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: 'not a url' }, 'SLACK_API_URL'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_SUBSCRIBE_ROLE: 'owner' }, 'SLACK_SUBSCRIBE_ROLE'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', PORT: '70000' }, 'PORT'],
  ])('names the variable for %o', (env, variable) => {
    expect(variableOf(env)).toBe(variable);
  });
});
