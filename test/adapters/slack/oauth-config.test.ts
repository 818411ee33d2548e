import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

const OAUTH = {
  SLACK_CLIENT_ID: '1234567890.0987654321',
  SLACK_CLIENT_SECRET: 'client-secret',
  SLACK_STATE_SECRET: 'a-state-secret-of-some-length',
  SLACK_SIGNING_SECRET: 'signing',
  PUBLIC_URL: 'https://twir.example.org/',
};

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(env)}`);
}

describe('Slack OAuth configuration (many workspaces)', () => {
  it('turns Slack on without SLACK_BOT_TOKEN, in HTTP mode, with the redirect URL on PUBLIC_URL', () => {
    const slack = loadConfig(OAUTH).slack;
    expect(slack).toMatchObject({ botToken: null, appToken: null, signingSecret: 'signing', apiUrl: 'https://slack.com/api/' });
    expect(slack?.oauth).toEqual({
      clientId: '1234567890.0987654321',
      clientSecret: 'client-secret',
      stateSecret: 'a-state-secret-of-some-length',
      redirectUrl: 'https://twir.example.org/slack/oauth_redirect',
      authorizeUrl: 'https://slack.com/oauth/v2/authorize',
    });
  });

  it("finds the authorize page beside SLACK_API_URL (the tests' loopback Slack)", () => {
    expect(loadConfig({ ...OAUTH, SLACK_API_URL: 'http://127.0.0.1:9/api' }).slack?.oauth?.authorizeUrl).toBe(
      'http://127.0.0.1:9/oauth/v2/authorize',
    );
  });

  it('leaves single-workspace mode as it was: no oauth', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack?.oauth).toBeUndefined();
  });

  it('needs all three OAuth variables, naming every one that is missing', () => {
    const err = refusal({ SLACK_CLIENT_ID: OAUTH.SLACK_CLIENT_ID, SLACK_SIGNING_SECRET: 's', PUBLIC_URL: OAUTH.PUBLIC_URL });
    expect(err.variable).toBe('SLACK_CLIENT_SECRET');
    expect(err.message).toMatch(/missing SLACK_CLIENT_SECRET and SLACK_STATE_SECRET/);
    expect(refusal({ ...OAUTH, SLACK_CLIENT_ID: '' }).variable).toBe('SLACK_CLIENT_ID');
  });

  it.each([
    [{ SLACK_SIGNING_SECRET: '' }, 'SLACK_SIGNING_SECRET'],
    [{ PUBLIC_URL: '' }, 'PUBLIC_URL'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_BOT_TOKEN'],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, 'SLACK_APP_TOKEN'],
    [{ SLACK_CLIENT_ID: 'not-an-id' }, 'SLACK_CLIENT_ID'],
    [{ SLACK_STATE_SECRET: 'short' }, 'SLACK_STATE_SECRET'],
  ])('refuses %o, naming %s', (override, variable) => {
    expect(refusal({ ...OAUTH, ...override }).variable).toBe(variable);
  });
});
