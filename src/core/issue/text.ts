/**
 * Text repair shared by the parser: byte decoding, mojibake, entities, placeholders.
 *
 * TWIR drafts are edited by many hands and tools; some round-trips turn UTF-8
 * into Windows-1252 mojibake (`NÃ¼rnberg`, `â€™`, `ðŸ¦€`) and some editors
 * escape HTML twice. Everything here is pure and never throws.
 */
import { decodeNamedCharacterReference } from 'decode-named-character-reference';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const cp1252 = new TextDecoder('windows-1252');

/**
 * Decodes file bytes: UTF-8 when valid (with the BOM dropped), otherwise
 * Windows-1252, which maps every byte to some character, so a file that is not
 * UTF-8 still parses instead of failing. Reports which decoding it used.
 */
export function decodeBytes(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    return { text: stripBom(utf8.decode(bytes)), encoding: 'utf-8' };
  } catch {
    return { text: cp1252.decode(bytes), encoding: 'windows-1252' };
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Windows-1252 characters for bytes 0x80–0x9F (the rest of 0xA0–0xFF map to U+00A0–U+00FF). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
const charToByte = new Map<string, number>();
for (let i = 0; i < 32; i++) charToByte.set(CP1252_HIGH[i] as string, 0x80 + i);
for (let b = 0xa0; b <= 0xff; b++) charToByte.set(String.fromCharCode(b), b);
// Latin-1 read (rather than Windows-1252) leaves C1 controls in place of 0x80–0x9F.
for (let b = 0x80; b <= 0x9f; b++) if (!charToByte.has(String.fromCharCode(b))) charToByte.set(String.fromCharCode(b), b);

const continuation = `[${[...charToByte.entries()]
  .filter(([, b]) => b >= 0x80 && b <= 0xbf)
  .map(([c]) => escapeForClass(c))
  .join('')}]`;
// A UTF-8 lead byte (0xC2–0xF4) read as Windows-1252 is one of Â–ô; then 1–3 continuation bytes.
const MOJIBAKE = new RegExp(`[\\u00C2-\\u00F4]${continuation}{1,3}`, 'g');

function escapeForClass(c: string): string {
  return c.replace(/[\\\]^-]/g, '\\$&');
}

/**
 * Repairs UTF-8 that was read as Windows-1252 (or Latin-1) and saved again.
 * A run is replaced only when its bytes form exactly one valid UTF-8 character,
 * so ordinary accented text (`Zürich`, `café`) is left alone.
 */
export function repairMojibake(text: string): string {
  if (!/[\u00C2-\u00F4]/.test(text)) return text;
  return text.replace(MOJIBAKE, (run) => {
    const bytes = Uint8Array.from(run, (c) => charToByte.get(c) ?? 0);
    const lead = bytes[0] as number;
    const expected = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (bytes.length !== expected) return run;
    try {
      return utf8.decode(bytes);
    } catch {
      return run;
    }
  });
}

const ENTITY = /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/g;

/**
 * Decodes HTML character references left in text (`Vec&lt;usize&gt;`), also
 * when escaped twice (`&amp;lt;`). Unknown names are kept as written.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  let out = text;
  // Twice: `&amp;lt;` becomes `&lt;` and then `<`.
  for (let pass = 0; pass < 2 && out.includes('&'); pass++) {
    out = out.replace(ENTITY, (whole, body: string) => {
      if (body[0] === '#') {
        const hex = body[1] === 'x' || body[1] === 'X';
        const code = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
        return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
      }
      const decoded = decodeNamedCharacterReference(body);
      return decoded === false ? whole : decoded;
    });
  }
  return out;
}

/** Collapses runs of white space (including newlines and NBSP) to one space and trims. */
export function squash(text: string): string {
  return text.replace(/[\s\u00A0]+/g, ' ').trim();
}

const PLACEHOLDER_URL = /INSERT_LINK_HERE|REDDIT_LINK_HERE|LINK_HERE|^#?$|^https?:\/\/(www\.)?example\.(com|org)\b/i;

/** True for template URLs that must never yield an item. */
export function isPlaceholderUrl(url: string): boolean {
  return PLACEHOLDER_URL.test(url.trim());
}

/** True for template text such as `*No calls for testing were issued this week.*` or `INSERT_…`. */
export function isPlaceholderText(text: string): boolean {
  const t = squash(text).replace(/^[*_\s]+|[*_\s.!]+$/g, '');
  if (/INSERT_[A-Z_]+|[A-Z]+_HERE\b/.test(t)) return true;
  return /^(there (are|were) )?no\b.*\b(this|last) week$/i.test(t) || (/^no\b.*\b(currently|were|are)\b.*$/i.test(t) && t.length < 140);
}
