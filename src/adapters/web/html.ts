/**
 * The one place the web page escapes text. Markup is built with the `html`
 * tagged template: every interpolated value is escaped unless it is already
 * `SafeHtml` (built by this same template), so newsletter text, queries and
 * URLs can never open a tag or an attribute. Links go through `safeHref`,
 * which keeps only http(s) and same-site paths (`javascript:` in an issue
 * stays text).
 */

/** Markup that has been escaped (or written by us); only `html` and `raw` make one. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

type Part = SafeHtml | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** Builds markup; interpolations are escaped, arrays are joined, null/undefined/false render nothing. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i] as Part) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Markup we wrote ourselves (an SVG chart built with `html`, a constant); never pass user text here. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** An href for a link from untrusted text: absolute http(s) URLs and site paths only, else null (render text). */
export function safeHref(url: string | undefined): string | null {
  if (!url) return null;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}
