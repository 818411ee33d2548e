import { describe, expect, it } from 'vitest';
import { renderDiscordDigest } from '../../src/adapters/discord/digest-render.js';
import { DISCORD_LIMITS } from '../../src/adapters/discord/render-reply.js';
import { renderSlackDigest } from '../../src/adapters/slack/digest-render.js';
import { SLACK_LIMITS } from '../../src/adapters/slack/render-blocks.js';
import type { Digest } from '../../src/digest/build-digest.js';
import { sampleDigest } from '../support/digest-fixtures.js';

/** A digest far past every limit, with hostile text in every field. */
function hugeDigest(): Digest {
  const base = sampleDigest();
  const long = (n: number) => `@everyone <!here> <@U123> **bold** [x](http://evil) ${'word '.repeat(n)}`;
  return {
    ...base,
    title: long(100),
    intro: long(2000),
    place: '@here',
    sections: Array.from({ length: 60 }, (_, i) => ({
      key: 'links' as const,
      label: `Section ${i} ${long(60)}`,
      items: Array.from({ length: 40 }, (_, j) => ({ label: long(80), url: `https://example.com/${i}/${j}?a=(1)|2>3`, detail: long(50) })),
      more: 12,
    })),
  };
}

function embedChars(e: ReturnType<typeof renderDiscordDigest>['embeds'][number]): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

describe('digest renderers stay within platform limits and ping no one', () => {
  it('Discord: one embed, every field and the 6000 total within limits, the issue linked and CC-BY-SA credited', () => {
    for (const d of [sampleDigest(), hugeDigest()]) {
      const { embeds } = renderDiscordDigest(d);
      expect(embeds).toHaveLength(1);
      const e = embeds[0] as (typeof embeds)[number];
      expect(embedChars(e)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
      expect(e.title?.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
      expect(e.description?.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
      expect(e.fields?.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
      for (const f of e.fields ?? []) {
        expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
        expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
        expect(f.value.length).toBeGreaterThan(0);
      }
      expect(e.url).toBe(d.url);
      expect(e.footer?.text).toMatch(/CC-BY-SA/);
    }
    const sample = renderDiscordDigest(sampleDigest()).embeds[0];
    expect(sample?.fields?.map((f) => f.name.replace(/ \(.*/, ''))[0]).toBe('Headlines');
    expect(sample?.fields?.find((f) => f.name.startsWith('Crate'))?.value).toMatch(/\[tower-http-client\]\(https:/);
  });

  it('Slack: at most 50 blocks, section text within 3000, header within 150, mentions escaped', () => {
    for (const d of [sampleDigest(), hugeDigest()]) {
      const { text, blocks } = renderSlackDigest(d);
      expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
      const json = JSON.stringify(blocks);
      expect(json).not.toMatch(/<!here>|<@U123>|<!channel>/);
      for (const b of blocks) {
        if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
        if (b.type === 'section') expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      }
      expect(blocks.at(-1)).toMatchObject({ type: 'context' });
      expect(json).toMatch(/CC-BY-SA/);
    }
    const huge = JSON.stringify(renderSlackDigest(hugeDigest()).blocks);
    // A URL that could end the <url|label> early is not linked at all.
    expect(huge).not.toMatch(/a=\(1\)\|2/);
  });

  it('a test post says so on both platforms', () => {
    const d = { ...sampleDigest(), test: true };
    expect(renderDiscordDigest(d).embeds[0]?.title).toMatch(/^\[test\]/);
    expect(renderDiscordDigest(d).embeds[0]?.footer?.text).toMatch(/test post, not a delivery/);
    expect(renderSlackDigest(d).text).toMatch(/^\[test\]/);
  });
});
