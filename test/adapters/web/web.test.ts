import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { html, safeHref } from '../../../src/adapters/web/html.js';
import { createRateLimiter } from '../../../src/adapters/web/rate-limit.js';
import { renderReply } from '../../../src/adapters/web/render-page.js';
import { pageUrl, requestWords, webCommands } from '../../../src/adapters/web/routes.js';
import type { Reply } from '../../../src/core/reply/reply.js';
import { runCli } from '../../support/run-cli.js';
import { startWeb, type WebHarness } from './harness.js';

const search = webCommands.find((c) => c.name === 'search');
if (!search) throw new Error('no search command');

describe('the web page over the whole archive', () => {
  let web: WebHarness;
  beforeAll(async () => {
    web = await startWeb();
  });
  afterAll(() => web.close());
  const get = (path: string) => fetch(`${web.base}${path}`);

  it('renders a search with a typo on the server, corrected, with a link to the next page', async () => {
    const res = await get('/search?q=tokoi');
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('<h1 id="reply-title">Search: tokio</h1>');
    expect(body).toMatch(/<a rel="next" href="\/search\?q=tokoi&amp;page=2">/);
    expect(body).toContain('<html lang="en">');
    expect(body).toMatch(/<main id="main">/);
  });

  it('answers the home page with the search form over the newest issue', async () => {
    const body = await (await get('/')).text();
    expect(body).toContain('role="search"');
    expect(body).toContain('This Week in Rust 571');
  });

  it('maps /events?place=, /fcp?team= and /issue/571 onto the commands', async () => {
    expect(await (await get('/events?place=berlin')).text()).toContain('Rust Hack and Learn');
    expect(await (await get('/issue/571')).text()).toContain('tower-http-client');
    const fcp = await (await get('/fcp?team=compiler&as-of=2024-10-30')).text();
    expect(fcp).not.toContain('class="reply usage-error"');
  });

  it('shows the search form over the newest issue at /search before anything is typed', async () => {
    const res = await get('/search');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('This Week in Rust 571');
  });

  it('reads a broken escape in a path as typed instead of failing', async () => {
    const res = await get('/issue/%E0%A4');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('class="reply usage-error"');
  });

  it('returns 400 with the usage error for a question it cannot answer, 404 for no such page', async () => {
    const bad = await get('/search?as-of=2024-02-30&q=x');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('role="alert"');
    expect((await get('/subscribe')).status).toBe(404);
    expect((await get('/nothing-here')).status).toBe(404);
  });

  it('serves /api/<command> as exactly the `twir --json` document', async () => {
    const res = await get('/api/crate?q=bacon&as-of=2024-10-30');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const api = await res.json();
    const cli = runCli(['crate', 'bacon', '--as-of', '2024-10-30', '--json'], { TWIR_DB: inject('archiveDb') });
    expect(api).toEqual(JSON.parse(cli.stdout));
  });

  it('answers autocomplete with the chat pickers choices', async () => {
    const choices = (await (await get('/api/autocomplete?source=crates&q=baco')).json()) as string[];
    expect(choices[0]).toBe('bacon');
    expect((await get('/api/autocomplete?source=nope')).status).toBe(400);
  });

  it('sends a strict Content-Security-Policy and no way to change anything', async () => {
    const res = await get('/crate');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${web.base}/search`, { method: 'POST', body: 'q=x' })).status).toBe(404);
    expect((await get('/assets/app.js')).headers.get('content-type')).toMatch(/javascript/);
  });

  it('serves each chart alone as SVG and as PNG, and leaves it off the page with chart=off', async () => {
    const svg = await get('/chart/events.svg');
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const png = await get('/chart/perf.png?range=all');
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect((await get('/chart/nope.png')).status).toBe(404);
    expect(await (await get('/perf')).text()).toContain('<figure class="chart-figure" data-points="52">');
    expect(await (await get('/perf?chart=off')).text()).not.toContain('<figure');
  });

  it('refuses a URL longer than it reads with 414', async () => {
    expect((await get(`/search?q=${'a'.repeat(5000)}`)).status).toBe(414);
  });
});

describe('the rate limit', () => {
  it('answers 429 with Retry-After once an address has used its minute', async () => {
    let t = 0;
    const web = await startWeb({ limiter: createRateLimiter(2, () => t) });
    try {
      expect((await fetch(`${web.base}/latest`)).status).toBe(200);
      expect((await fetch(`${web.base}/latest`)).status).toBe(200);
      const limited = await fetch(`${web.base}/latest`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('30');
      t += 30_000;
      expect((await fetch(`${web.base}/latest`)).status).toBe(200);
    } finally {
      await web.close();
    }
  });
});

describe('escaping (newsletter text is untrusted)', () => {
  const hostile: Reply = {
    kind: 'answer',
    title: '<script>alert(1)</script>',
    url: 'javascript:alert(1)',
    description: '"><img src=x onerror=alert(1)>',
    sections: [{ label: '<b>s</b>', items: [{ label: "it's <i>", url: 'javascript:alert(2)', detail: '&amp; <svg onload=x>' }] }],
    citations: [],
  };

  it('escapes every string of a Reply and links only http(s) URLs', () => {
    const out = renderReply(hostile, { command: search, values: {} }).value;
    expect(out).not.toMatch(/<script|<img|<svg|<b>|<i>|javascript:/);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&amp;amp; &lt;svg onload=x&gt;');
    expect(out).toContain('it&#39;s');
  });

  it('escapes interpolations and keeps markup built by html', () => {
    expect(html`<p title="${'" x="1'}">${html`<b>${'<i>'}</b>`}</p>`.value).toBe('<p title="&quot; x=&quot;1"><b>&lt;i&gt;</b></p>');
    expect(safeHref('//evil.test/x')).toBeNull();
    expect(safeHref('/issue/571')).toBe('/issue/571');
    expect(safeHref('data:text/html,x')).toBeNull();
  });
});

describe('URLs and commands', () => {
  it('turns parameters into the same words the console parses, and back', () => {
    const fcp = requestWords('fcp', '', new URLSearchParams('team=lang&as-of=2024-10-30&utm_source=x'));
    expect(fcp?.words).toEqual(['fcp', '--as-of=2024-10-30', '--filter=lang']);
    expect(requestWords('issue', '571', new URLSearchParams())?.words).toEqual(['issue', '--which=571']);
    expect(requestWords('search', '', new URLSearchParams('q=a%0Ab'))?.words).toEqual(['search', '--query=a b']);
    expect(requestWords('subscribe', '', new URLSearchParams())).toBeNull();
    expect(pageUrl(search, { query: 'async closures', page: 2 })).toBe('/search?q=async+closures&page=2');
  });
});
