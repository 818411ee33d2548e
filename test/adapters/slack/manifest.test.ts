import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandList } from '../../../commands/index.js';
import { buildSlackManifest, httpRequestUrl, OAUTH_MANIFEST_PLACEHOLDER } from '../../../src/adapters/slack/manifest.js';

describe('slack/manifest.yml', () => {
  const committed = readFileSync(new URL('../../../slack/manifest.yml', import.meta.url), 'utf8');

  it('matches what `npm run manifest:slack` generates from the command list', () => {
    expect(committed).toBe(buildSlackManifest(commandList));
  });

  it('declares /twir with every command in its hint, Socket Mode, interactivity and only the needed scopes', () => {
    expect(committed).toContain('- command: "/twir"');
    for (const c of commandList) expect(committed).toMatch(new RegExp(`usage_hint: ".*\\b${c.name}\\b`));
    const scopes = [...committed.matchAll(/^ {6}- ([a-z:.]+)$/gm)].map((m) => m[1]);
    expect(scopes).toEqual(['commands', 'chat:write', 'users:read', 'channels:read', 'groups:read', 'channels:history', 'groups:history']);
    expect(committed).toMatch(/socket_mode_enabled: true/);
    expect(committed).toMatch(/interactivity:\n {4}is_enabled: true/);
  });

  it('declares the Find in TWIR message shortcut, whose callback_id the app listens for, in both variants', () => {
    const shortcut = /shortcuts:\n {4}- name: "Find in TWIR"\n {6}type: message\n {6}callback_id: "twir_find"\n {6}description: "([^"]+)"/;
    const description = shortcut.exec(committed)?.[1] ?? '';
    expect(description.length).toBeGreaterThan(0);
    // Slack's limit for a shortcut's description.
    expect(description.length).toBeLessThanOrEqual(150);
    expect(buildSlackManifest(commandList, { httpBase: 'https://twir.example.org' })).toMatch(shortcut);
  });

  it('turns on the App Home Messages tab, so /twir works in a DM with the app', () => {
    expect(committed).toMatch(
      /app_home:\n {4}home_tab_enabled: false\n {4}messages_tab_enabled: true\n {4}messages_tab_read_only_enabled: false/,
    );
  });

  it('--http <base URL> gives the HTTP-mode variant: request URLs on that host, Socket Mode off, same scopes', () => {
    const http = buildSlackManifest(commandList, { httpBase: 'https://twir.example.org/bot/' });
    expect(http).toMatch(/should_escape: false\n {6}url: "https:\/\/twir\.example\.org\/bot\/slack\/events"/);
    expect(http).toMatch(/interactivity:\n {4}is_enabled: true\n {4}request_url: "https:\/\/twir\.example\.org\/bot\/slack\/events"/);
    expect(http).toMatch(/socket_mode_enabled: false/);
    expect(http).not.toMatch(/socket_mode_enabled: true/);
    const scopes = (text: string) => [...text.matchAll(/^ {6}- ([a-z:.]+)$/gm)].map((m) => m[1]);
    expect(scopes(http)).toEqual(scopes(committed));
    expect(() => httpRequestUrl('http://twir.example.org')).toThrow(/https/);
    expect(() => httpRequestUrl('twir.example.org')).toThrow(/public base URL/);
  });

  it('--oauth <PUBLIC_URL> gives the OAuth variant: redirect URL, uninstall events, HTTP mode, workspace installs, same scopes', () => {
    const oauth = buildSlackManifest(commandList, { oauthBase: 'https://twir.example.org/' });
    expect(oauth).toMatch(/oauth_config:\n {2}redirect_urls:\n {4}- "https:\/\/twir\.example\.org\/slack\/oauth_redirect"/);
    expect(oauth).toMatch(
      /event_subscriptions:\n {4}request_url: "https:\/\/twir\.example\.org\/slack\/events"\n {4}bot_events:\n {6}- app_uninstalled\n {6}- tokens_revoked/,
    );
    expect(oauth).toMatch(/should_escape: false\n {6}url: "https:\/\/twir\.example\.org\/slack\/events"/);
    expect(oauth).toMatch(/socket_mode_enabled: false/);
    expect(oauth).toMatch(/org_deploy_enabled: false/);
    const scopes = (text: string) => [...text.matchAll(/^ {6}- ([a-z:.]+)$/gm)].map((m) => m[1]);
    expect(scopes(oauth)).toEqual(scopes(committed));
    expect(() => buildSlackManifest(commandList, { oauthBase: 'http://twir.example.org' })).toThrow(/--oauth: .*https/);
  });

  it('slack/manifest.oauth.yml is the OAuth variant for the placeholder host, as `npm run manifest:slack` writes it', () => {
    const file = readFileSync(new URL('../../../slack/manifest.oauth.yml', import.meta.url), 'utf8');
    expect(file).toBe(buildSlackManifest(commandList, { oauthBase: OAUTH_MANIFEST_PLACEHOLDER }));
  });
});
