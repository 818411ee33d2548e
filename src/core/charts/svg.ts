/**
 * What every chart shares: XML escaping for the text a chart writes (issue
 * titles and event names are untrusted newsletter text) and number
 * formatting that keeps the SVG small.
 */

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for SVG element content and quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] as string);
}

/** A coordinate with at most one decimal: plenty at chart sizes, and a third of the bytes. */
export function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** An href a chart may link: http(s) only (a `javascript:` URL in an issue stays unlinked). */
export function chartHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/** A rendered chart: the SVG document and the one-paragraph text alternative (also inside the SVG as `<desc>`). */
export interface Chart {
  svg: string;
  /** Plain text for screen readers and chat (`chart:off` answers keep it). */
  summary: string;
  /** How many data points the chart draws (bars, dots): tests and the browser check count them. */
  points: number;
}
