/**
 * The web page in a real browser: Debian's headless Chromium driven by
 * playwright-core (never a downloaded browser). Screenshots are kept under
 * test-artifacts/ (gitignored) for CI to collect. `.ci/run` installs
 * chromium when it is missing; without it this file is skipped.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Waits are for the page's work, never a guess at the machine's speed: generous, and only an upper bound. */
const WAIT = { timeout: 30_000 };

describe.skipIf(!existsSync(CHROMIUM))('the web page in headless Chromium', () => {
  let web: WebHarness;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    web = await startWeb();
    mkdirSync(ARTIFACTS, { recursive: true });
    userDataDir = mkdtempSync(join(tmpdir(), 'twir-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 390, height: 844 },
    });
    // No network but loopback: an outside link (an event's page) gets a stand-in, so following it is checkable.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>outside</title>' }),
    );
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await web?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  /** axe-core's serious and critical violations on the current page (evaluated over DevTools, so the CSP still holds). */
  async function accessibilityProblems(): Promise<string[]> {
    await page.evaluate(AXE_SOURCE);
    const results = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } })
        .axe;
      return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    return results.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes})`);
  }

  it('opens the home page, searches as you type with a typo and shows the corrected results', async () => {
    await page.goto(`${web.base}/`);
    expect(await page.locator('#reply-title').textContent()).toContain('This Week in Rust');
    await page.screenshot({ path: join(ARTIFACTS, 'home.png'), fullPage: true });
    expect(await accessibilityProblems()).toEqual([]);
    await page.getByLabel('Words to look for').fill('tokoi');
    await page.waitForFunction(() => document.querySelector('#reply-title')?.textContent === 'Search: tokio', undefined, WAIT);
    expect(page.url()).toBe(`${web.base}/search?q=tokoi`);
    expect(await page.locator('.items li').count()).toBe(10);
    await page.screenshot({ path: join(ARTIFACTS, 'search.png'), fullPage: true });
    expect(await accessibilityProblems()).toEqual([]);
  });

  it('pages forward with the Next link', async () => {
    await page.click('a[rel=next]');
    await page.waitForURL(/page=2/, WAIT);
    expect(await page.locator('.paging span').textContent()).toMatch(/^Page 2 of \d+/);
    expect(await page.locator('.items li').count()).toBe(10);
  });

  it('opens an issue page from the issues cited', async () => {
    const link = page.locator('footer .cited a[href^="/issue/"]').first();
    const href = await link.getAttribute('href');
    await link.click();
    await page.waitForURL(`${web.base}${href}`, WAIT);
    expect(await page.locator('#reply-title').textContent()).toContain(`This Week in Rust ${href?.slice('/issue/'.length)}`);
    await page.screenshot({ path: join(ARTIFACTS, 'issue.png'), fullPage: true });
    expect(await accessibilityProblems()).toEqual([]);
  });

  it('lists events for a place and follows an event link', async () => {
    await page.goto(`${web.base}/events?place=berlin`);
    const first = page.locator('.items li a').first();
    const href = await first.getAttribute('href');
    expect(href).toMatch(/^https:\/\//);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(ARTIFACTS, 'events-dark.png'), fullPage: true });
    expect(await accessibilityProblems()).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    await first.click();
    await page.waitForURL(href as string, WAIT);
  });

  it('draws the performance chart with one linked bar per weekly triage, 52 by default and every one since 2020 on request', async () => {
    await page.goto(`${web.base}/perf`);
    expect(await page.locator('svg.perf-chart a.point').count()).toBe(52);
    expect(await page.locator('svg.perf-chart a.point').first().getAttribute('href')).toMatch(/^https:\/\//);
    expect(await page.locator('svg.perf-chart').getAttribute('role')).toBe('group');
    await page.screenshot({ path: join(ARTIFACTS, 'perf.png'), fullPage: true });
    expect(await accessibilityProblems()).toEqual([]);
    await page.getByRole('link', { name: 'All since 2020' }).click();
    await page.waitForURL(/range=all/, WAIT);
    const all = Number(await page.locator('figure.chart-figure').getAttribute('data-points'));
    expect(all).toBeGreaterThan(52);
    expect(await page.locator('svg.perf-chart a.point').count()).toBe(all);
  });

  it('draws upcoming events on the world map, one dot per placed event', async () => {
    await page.goto(`${web.base}/events`);
    const figure = page.locator('figure.chart-figure').first();
    const points = Number(await figure.getAttribute('data-points'));
    expect(points).toBeGreaterThan(0);
    expect(await page.locator('svg.events-map a.point circle').count()).toBe(points);
    expect(await figure.locator('figcaption').textContent()).toMatch(/upcoming in-person or hybrid events? on the map/);
    const years = Number(await page.locator('figure.chart-figure').nth(1).getAttribute('data-points'));
    expect(years).toBe(2024 - 2014 + 1); // the first event listing is from 2014, the page is as of 2024-10-30
    expect(await page.locator('svg.regions-chart g.point').count()).toBe(years);
    await page.screenshot({ path: join(ARTIFACTS, 'events-map.png'), fullPage: true });
    expect(await accessibilityProblems()).toEqual([]);
  });

  it('fills an autocomplete list from the same source as the chat pickers', async () => {
    await page.goto(`${web.base}/crate`);
    await page.getByLabel('Crate name or words from its description').fill('baco');
    await page.waitForFunction(() => document.querySelectorAll('#f-query-list option').length > 0, undefined, WAIT);
    expect(await page.locator('#f-query-list option').first().getAttribute('value')).toBe('bacon');
  });

  it('logged no console errors (CSP violations included) on any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
