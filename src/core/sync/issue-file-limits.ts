/**
 * What a file must be before it is parsed and stored as an issue, checked in
 * the order that costs least: its listed size (before any byte is read), the
 * bytes actually read (never more than the cap), then whether it is text with
 * a TWIR header. The largest real issue is ~40 KB; anything far beyond the cap
 * or without a header is a mistake or an attack, and is reported by name
 * instead of exhausting memory or landing in the store with a made-up URL.
 */
import { splitFrontMatter } from '../issue/front-matter.js';
import { decodeBytes } from '../issue/text.js';

/** Largest file read as an issue, in bytes (25× the largest real issue). */
export const MAX_ISSUE_BYTES = 1_000_000;

/** A file refused for what it is, not for a passing problem: remembered until its content changes. */
export class IssueFileRejected extends Error {
  override name = 'IssueFileRejected';
}

/** The refusal for a file of `size` bytes, or null when it is within `maxBytes`. */
export function oversize(size: number, maxBytes: number): IssueFileRejected | null {
  if (size <= maxBytes) return null;
  // Just over the limit, rounded sizes would read "1 MB, over the 1 MB limit": say it in bytes.
  const [is, limit] =
    formatBytes(size) === formatBytes(maxBytes) ? [`${size} bytes`, `${maxBytes}-byte`] : [formatBytes(size), formatBytes(maxBytes)];
  return new IssueFileRejected(`file is ${is}, over the ${limit} limit for an issue; not read`);
}

/** How much of the file's start is looked at for the header and for binary content. */
const SNIFF_BYTES = 8192;

/**
 * Why these bytes are not a TWIR issue, or null when they may be: binary data
 * (NUL bytes, or many control characters once decoded), or no Pelican header
 * with a `Title:` line at the top (every issue since 2013 starts with one).
 */
export function notAnIssue(bytes: Uint8Array): IssueFileRejected | null {
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (head.includes(0)) return new IssueFileRejected('not a text file (it contains NUL bytes); not stored');
  // Decoded as the parser will (UTF-8, else Windows-1252); cut at a line end so no character is split.
  const cut = head.length < bytes.length ? head.lastIndexOf(0x0a) + 1 || head.length : head.length;
  const { text } = decodeBytes(head.subarray(0, cut));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: counting control characters is the point.
  const controls = text.match(/[\u0001-\u0008\u000E-\u001F\u007F]/g)?.length ?? 0;
  if (controls > Math.max(2, text.length / 100)) return new IssueFileRejected('not a text file (binary data); not stored');
  const { fields } = splitFrontMatter(text.replace(/^\s+/, ''));
  if (!fields.title) return new IssueFileRejected('no TWIR header (a `Title:` line at the top of the file); not stored');
  return null;
}

/** `1 MB`, `1.03 MB`, `150 MB`, `5.1 KB`, `812 bytes`: enough digits that a size just over a limit reads as over it. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} bytes`;
  const [value, unit] = n < 1_000_000 ? [n / 1000, 'KB'] : [n / 1_000_000, 'MB'];
  const digits = Number.isInteger(value) ? 0 : value < 10 ? 2 : 1;
  return `${value
    .toFixed(digits)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '')} ${unit}`;
}
