/**
 * The public web page as one more adapter on the shared HTTP listener: every
 * read-only command is a page (`GET /<command>?…`, `/issue/571`) rendered on
 * the server from the same Reply the chat adapters render, and its JSON at
 * `GET /api/<command>?…` (the `twir --json` document). Read-only by design:
 * only GET routes, a per-address rate limit, a strict Content-Security-Policy.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { autocomplete } from '../../core/commands/autocomplete.js';
import type { AutocompleteSource } from '../../core/commands/definition.js';
import { type ExecuteOptions, executeReadOnly } from '../../core/commands/execute.js';
import { parseCommandWords } from '../../core/commands/parse-command-line.js';
import { isIsoDate, localIsoDate } from '../../core/dates.js';
import { svgToPng } from '../chart-png.js';
import { renderJson } from '../console/render.js';
import type { AdapterContext, RunningAdapter, StartAdapter } from '../host.js';
import { APP_JS, STYLE_CSS } from './assets.js';
import { chartFigure, chartFor } from './chart-figures.js';
import { html } from './html.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { layout, renderPage } from './render-page.js';
import { requestWords, webCommands } from './routes.js';

/** Longest request target we read; the parser's own limits (2,000 characters, 300 for a query) apply after. */
export const MAX_URL_LENGTH = 4096;

const searchCommand = webCommands.find((c) => c.name === 'search') as (typeof webCommands)[number];

const AUTOCOMPLETE_SOURCES = new Set<AutocompleteSource>(['crates', 'places', 'fcp-groups', 'sections', 'commands', 'issues']);

/** Every response carries these: nothing loads from elsewhere, nothing runs inline, nothing frames the page. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

/** Registers the web routes on `ctx.http`; `limiter` is injectable for tests. */
export function createWebStarter(options: { limiter?: RateLimiter } = {}): StartAdapter {
  return async (ctx: AdapterContext): Promise<RunningAdapter> => {
    const web = ctx.config.web;
    if (!web) throw new Error('web: started with TWIR_WEB=off');
    const limiter = options.limiter ?? createRateLimiter(web.requestsPerMinute);
    // Answers are synchronous (one SQLite snapshot each) and a PNG only converts SVG already built, so
    // stopping only has to refuse new requests; the listener's close waits for those in flight.
    let open = true;
    const execute: ExecuteOptions = {
      archive: ctx.archive,
      today: () => localIsoDate(ctx.now()),
      now: ctx.now,
      onError: (err, command) => ctx.log.error(`web ${command}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    };

    /** The front door of every web route: GET only, bounded URL, rate limit, then the handler. */
    const guard = (handler: Handler) => (req: IncomingMessage, res: ServerResponse) => {
      if (!open) return send(res, 503, 'text/plain; charset=utf-8', 'shutting down', { 'retry-after': '5' });
      const target = req.url ?? '/';
      if (target.length > MAX_URL_LENGTH) return send(res, 414, 'text/plain; charset=utf-8', 'URL too long');
      const wait = limiter.take(req.socket.remoteAddress ?? 'unknown');
      if (wait > 0)
        return send(res, 429, 'text/plain; charset=utf-8', `Too many requests; try again in ${wait} s.`, { 'retry-after': String(wait) });
      let url: URL;
      try {
        url = new URL(target, 'http://localhost');
      } catch {
        return send(res, 400, 'text/plain; charset=utf-8', 'bad request');
      }
      return handler(req, res, url);
    };

    /** Runs the command a URL names; null when it names none. */
    const answer = (name: string, rest: string, params: URLSearchParams) => {
      const asked = requestWords(name, rest, params);
      if (!asked) return null;
      const parsed = parseCommandWords(asked.words, webCommands);
      // The page runs only read-only commands (webCommands), which answer at once.
      const executed = executeReadOnly(parsed, execute);
      const values = parsed.ok ? parsed.args : {};
      return { ...executed, definition: asked.command, values, asOf: executed.global.asOf ?? execute.today() };
    };

    const page: Handler = (_req, res, url) => {
      const [, first = '', ...more] = url.pathname.split('/');
      // The front door (and /search before anything is typed): the search form over the newest issue.
      const home = (first === '' || first === 'search') && !url.searchParams.get('q')?.trim() && !url.searchParams.get('query')?.trim();
      const result = answer(home ? 'latest' : first || 'search', more.join('/'), url.searchParams);
      if (!result) return send(res, 404, 'text/html; charset=utf-8', notFound(url.pathname));
      const { reply, values, global } = result;
      const definition = home ? searchCommand : result.definition;
      const chart = home ? undefined : chartFigure(definition.name, url.searchParams, ctx.archive, result.asOf);
      const body = renderPage(
        reply,
        { command: definition, values: home ? {} : values, ...(global.asOf ? { asOf: global.asOf } : {}) },
        chart,
      );
      send(res, statusOf(reply.kind), 'text/html; charset=utf-8', body, { 'cache-control': 'public, max-age=60' });
    };

    const api: Handler = (_req, res, url) => {
      const name = url.pathname.slice('/api/'.length);
      if (name === 'autocomplete') return suggest(res, url.searchParams);
      const result = answer(name.split('/')[0] ?? '', name.split('/').slice(1).join('/'), url.searchParams);
      if (!result) return send(res, 404, 'application/json', JSON.stringify({ error: `no command "${name.slice(0, 40)}"` }));
      send(
        res,
        statusOf(result.reply.kind),
        'application/json; charset=utf-8',
        renderJson(result.reply, { command: result.command, asOf: result.asOf }),
        {
          'cache-control': 'public, max-age=60',
          'access-control-allow-origin': '*',
        },
      );
    };

    const suggest = (res: ServerResponse, params: URLSearchParams) => {
      const source = params.get('source') as AutocompleteSource;
      if (!AUTOCOMPLETE_SOURCES.has(source)) return send(res, 400, 'application/json', JSON.stringify({ error: 'unknown source' }));
      const asOf = params.get('as-of');
      const choices = autocomplete(source, params.get('q') ?? '', {
        archive: ctx.archive,
        asOf: asOf && isIsoDate(asOf) ? asOf : execute.today(),
        catalogue: webCommands,
      });
      send(res, 200, 'application/json; charset=utf-8', JSON.stringify(choices), { 'cache-control': 'public, max-age=60' });
    };

    /** `/chart/perf.svg`, `/chart/events.png`: one chart alone (the PNG is what chat platforms are linked to). */
    const image: Handler = async (_req, res, url) => {
      const m = /^\/chart\/(perf|events)\.(svg|png)$/.exec(url.pathname);
      const asOf = url.searchParams.get('as-of');
      const chart = m && chartFor(m[1] as string, url.searchParams, ctx.archive, asOf && isIsoDate(asOf) ? asOf : execute.today());
      if (!m || !chart) return send(res, 404, 'text/plain; charset=utf-8', 'no such chart');
      const cache = { 'cache-control': 'public, max-age=600' };
      if (m[2] === 'svg') return send(res, 200, 'image/svg+xml; charset=utf-8', chart.svg, cache);
      const png = await svgToPng(chart.svg);
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'image/png', 'content-length': png.length, ...cache }).end(png);
    };

    const asset =
      (type: string, body: string): Handler =>
      (_req, res) =>
        send(res, 200, type, body, { 'cache-control': 'public, max-age=3600' });

    ctx.http.route('GET', '/', guard(page));
    for (const c of webCommands) ctx.http.route('GET', `/${c.name}`, guard(page));
    ctx.http.route('GET', '/issue/*', guard(page));
    ctx.http.route('GET', '/api/*', guard(api));
    ctx.http.route('GET', '/chart/*', guard(image));
    ctx.http.route('GET', '/assets/style.css', guard(asset('text/css; charset=utf-8', STYLE_CSS)));
    ctx.http.route('GET', '/assets/app.js', guard(asset('text/javascript; charset=utf-8', APP_JS)));
    return {
      description: 'web page',
      async stop() {
        open = false;
      },
    };
  };
}

/** The web adapter as `twir serve` starts it. */
export const startWeb: StartAdapter = createWebStarter();

/** 200 for answers (also "nothing found"), 400 for a question not understood, 500 when the bot failed. */
function statusOf(kind: string): number {
  return kind === 'usage-error' ? 400 : kind === 'error' ? 500 : 200;
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers }).end(body);
}

function notFound(path: string): string {
  return layout(
    'Not found',
    '',
    html`<h1>No page at ${path.slice(0, 80)}</h1><p><a href="/">Search the archive</a> or see <a href="/help">every command</a>.</p>`,
    [],
  );
}
