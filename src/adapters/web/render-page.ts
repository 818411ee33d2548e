/**
 * The web page's renderer: a neutral Reply as server-rendered HTML, inside
 * one layout (header, search, the command's form, the CC-BY-SA credit and a
 * link to each issue the answer cites). All escaping is done by `html` (see
 * html.ts); this module only arranges markup. It works without JavaScript:
 * forms are plain GET forms and paging is plain links.
 */
import type { CommandDefinition } from '../../core/commands/definition.js';
import type { Citation, Reply, ReplyItem } from '../../core/reply/reply.js';
import { html, type SafeHtml, safeHref } from './html.js';
import { pageUrl, paramName, webCommands } from './routes.js';

/** What a page shows besides the Reply: the command asked, with the values it was asked with. */
export interface PageRequest {
  command: CommandDefinition;
  /** Option name → value as asked (for the form and paging links). */
  values: Record<string, string | number | undefined>;
  asOf?: string;
}

/** Pages shown in the navigation, in order (help last). */
const NAV = ['search', 'latest', 'crate', 'events', 'fcp', 'rfcs', 'cft', 'cfp', 'quote', 'perf', 'jobs', 'help'];

/** The whole document for one answer. `extra` is markup placed after the reply (charts). */
export function renderPage(reply: Reply, request: PageRequest, extra?: SafeHtml): string {
  const title = request.command.name === 'search' && !request.values.query ? 'This Week in Rust archive' : reply.title;
  return layout(title, request.command.name, html`${renderForm(request)}${renderReply(reply, request)}${extra}`, reply.citations);
}

/** The shared document: landmarks, navigation, credit; scripts and styles are same-origin files (see assets.ts). */
export function layout(title: string, current: string, main: SafeHtml, citations: readonly Citation[]): string {
  const nav = NAV.filter((n) => webCommands.some((c) => c.name === n)).map(
    (n) => html`<li><a href="/${n}"${n === current ? html` aria-current="page"` : ''}>${n}</a></li>`,
  );
  return `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>${title} · TWIR archive</title><link rel="stylesheet" href="/assets/style.css"><script src="/assets/app.js" defer></script></head><body><a class="skip" href="#main">Skip to content</a><header><a class="brand" href="/">This Week in Rust <span>archive</span></a><nav aria-label="Commands"><ul>${nav}</ul></nav></header><main id="main">${main}</main>${renderCredit(citations)}</body></html>`}`;
}

/** The command's form: one labelled field per option, and the as-of date. */
function renderForm(request: PageRequest): SafeHtml {
  const { command, values } = request;
  const fields = command.options.map((o) => {
    const id = `f-${o.name}`;
    const name = paramName(command, o);
    const value = values[o.name];
    if (o.choices) {
      const options = o.choices.map((c) => html`<option${value === c ? html` selected` : ''}>${c}</option>`);
      return html`<p class="field"><label for="${id}">${o.description}</label><select id="${id}" name="${name}"><option value="">default</option>${options}</select></p>`;
    }
    const type = o.type === 'date' ? 'date' : o.name === 'query' ? 'search' : 'text';
    return html`<p class="field"><label for="${id}">${o.description}</label><input id="${id}" name="${name}" type="${type}"${
      o.type === 'integer' ? html` inputmode="numeric" pattern="-?[0-9]*"` : ''
    }${value !== undefined ? html` value="${String(value)}"` : ''}${o.maxLength ? html` maxlength="${o.maxLength}"` : ''}${
      o.autocomplete ? html` list="${id}-list" data-autocomplete="${o.autocomplete}" autocomplete="off"` : ''
    }${o.required ? html` required` : ''}>${o.autocomplete ? html`<datalist id="${id}-list"></datalist>` : ''}</p>`;
  });
  return html`<form class="ask" action="/${command.name}" method="get"${command.name === 'search' ? html` role="search"` : ''} aria-label="${command.description}">${fields}<p class="field as-of"><label for="f-as-of">As of</label><input id="f-as-of" name="as-of" type="date"${
    request.asOf ? html` value="${request.asOf}"` : ''
  }></p><p class="field"><button type="submit">${command.name === 'search' ? 'Search' : 'Ask'}</button></p></form>`;
}

/** The Reply itself: title, warning, description, sections, hint, paging and its attribution line. */
export function renderReply(reply: Reply, request: PageRequest): SafeHtml {
  const titleHref = safeHref(reply.url);
  const status = reply.kind === 'usage-error' || reply.kind === 'error' ? html` role="alert"` : html` aria-live="polite"`;
  return html`<section class="reply ${reply.kind}" aria-labelledby="reply-title"${status}><h1 id="reply-title">${
    titleHref ? html`<a href="${titleHref}">${reply.title}</a>` : reply.title
  }</h1>${reply.warning ? html`<p class="warning">${reply.warning}</p>` : ''}${reply.description ? html`<p>${reply.description}</p>` : ''}${reply.sections.map(
    (s) => html`<h2>${s.label}</h2><ul class="items">${s.items.map(renderItem)}</ul>`,
  )}${reply.hint ? html`<p class="hint">${reply.hint}</p>` : ''}${renderPaging(reply, request)}${
    reply.footer ? html`<p class="attribution">${reply.footer}</p>` : ''
  }</section>`;
}

function renderItem(item: ReplyItem): SafeHtml {
  const href = safeHref(item.url);
  return html`<li>${href ? html`<a href="${href}">${item.label}</a>` : html`<span>${item.label}</span>`}${
    item.detail ? html`<p class="detail">${item.detail}</p>` : ''
  }</li>`;
}

function renderPaging(reply: Reply, request: PageRequest): SafeHtml {
  const page = reply.page;
  if (!page || page.pages <= 1) return html``;
  const link = (n: number) => pageUrl(request.command, { ...request.values, 'as-of': request.asOf, page: n > 1 ? n : undefined });
  return html`<nav class="paging" aria-label="Pages">${
    page.page > 1 ? html`<a rel="prev" href="${link(page.page - 1)}">← Previous</a>` : ''
  }<span>Page ${page.page} of ${page.pages} (${page.total} in all)</span>${page.next ? html`<a rel="next" href="${link(page.next)}">Next →</a>` : ''}</nav>`;
}

/** The CC-BY-SA credit on every page, with a link to each cited issue (here and on this-week-in-rust.org). */
function renderCredit(citations: readonly Citation[]): SafeHtml {
  const cited = citations.slice(0, 20).map((c) => {
    const href = safeHref(c.url);
    return html`<li>${c.number !== null ? html`<a href="/issue/${c.number}">#${c.number}</a> · ` : ''}${
      href ? html`<a href="${href}">${c.title}</a>` : c.title
    } (${c.date})</li>`;
  });
  return html`<footer><p>Answers quote <a href="https://this-week-in-rust.org/">This Week in Rust</a>, © its authors under <a href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license">CC-BY-SA 4.0</a>.${
    citations.length > 20 ? ` ${citations.length} issues cited; the first 20:` : ''
  }</p>${cited.length ? html`<ul class="cited" aria-label="Issues cited">${cited}</ul>` : ''}<p><a href="/api/help">JSON API</a> · no cookies, no trackers.</p></footer>`;
}
