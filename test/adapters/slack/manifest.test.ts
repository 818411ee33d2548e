import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandList } from '../../../commands/index.js';
import { buildSlackManifest } from '../../../src/adapters/slack/manifest.js';

describe('slack/manifest.yml', () => {
  const committed = readFileSync(new URL('../../../slack/manifest.yml', import.meta.url), 'utf8');

  it('matches what `npm run manifest:slack` generates from the command list', () => {
    expect(committed).toBe(buildSlackManifest(commandList));
  });

  it('declares /twir with every command in its hint, Socket Mode, interactivity and only the needed scopes', () => {
    expect(committed).toContain('- command: "/twir"');
    for (const c of commandList) expect(committed).toMatch(new RegExp(`usage_hint: ".*\\b${c.name}\\b`));
    const scopes = [...committed.matchAll(/^ {6}- ([a-z:.]+)$/gm)].map((m) => m[1]);
    expect(scopes).toEqual(['commands', 'chat:write', 'users:read', 'channels:history', 'groups:history']);
    expect(committed).toMatch(/socket_mode_enabled: true/);
    expect(committed).toMatch(/interactivity:\n {4}is_enabled: true/);
  });
});
