import { isValidDate, toIso } from '../dates.js';

/**
 * Pelican header lines (`Title:`, `Number:`, `Date:`, …) and the issue's URL on
 * this-week-in-rust.org, which Pelican derives from the date and title slug.
 */

export interface FrontMatter {
  /** Header keys lower-cased, values trimmed. */
  fields: Record<string, string>;
  /** The markdown after the header block. */
  body: string;
}

const HEADER_LINE = /^([A-Za-z][A-Za-z_-]{0,30}):[ \t]*(.*)$/;

/** Splits the header block from the body. A file with no header has an empty `fields`. */
export function splitFrontMatter(text: string): FrontMatter {
  const fields: Record<string, string> = {};
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(pos, end).replace(/\r$/, '');
    const m = HEADER_LINE.exec(line);
    if (!m) break;
    fields[(m[1] as string).toLowerCase()] = (m[2] as string).trim();
    pos = nl === -1 ? text.length : nl + 1;
  }
  return { fields, body: text.slice(pos) };
}

/** Pelican's default slugify: lower case, drop what is not a word character, spaces to hyphens. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[-\s]+/g, '-');
}

/** `https://this-week-in-rust.org/blog/YYYY/MM/DD/<slug>/` for an ISO date and title. */
export function issueUrl(date: string, title: string): string {
  const [y, m, d] = date.split('-');
  return `https://this-week-in-rust.org/blog/${y}/${m}/${d}/${slugify(title)}/`;
}

/** Issue number from `Number:` or a title ending in a number ("This Week in Rust 571"); null otherwise. */
export function issueNumber(fields: Record<string, string>): number | null {
  const explicit = fields.number?.match(/^\d{1,5}$/);
  if (explicit) return Number(explicit[0]);
  const title = fields.title ?? '';
  if (/state of rust/i.test(title)) return null;
  const m = title.match(/\b(?:rust|issue)\s+#?(\d{1,5})\s*$/i);
  return m ? Number(m[1]) : null;
}

/** ISO date from `Date:` (`2013-06-07 18:46` or `2024-10-30`), else from the file name. */
export function issueDate(fields: Record<string, string>, file: string): string | null {
  // The header first; a header date that is no real date (2024-02-30) falls back to the file name.
  for (const m of [fields.date?.match(/^(\d{4})-(\d{1,2})-(\d{1,2})/), file.match(/(\d{4})-(\d{2})-(\d{2})/)]) {
    if (m && isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) return toIso(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  return null;
}
