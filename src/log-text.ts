/**
 * Makes text from outside (file names, error messages, source descriptions)
 * safe to write to a log or terminal: a file named `a\x1b]0;owned\x07.md` must
 * not retitle the operator's terminal, and one named `x.md\nerror: …` must not
 * forge a log line. Control, bidi and invisible characters become visible
 * escapes (`\x1b`, `\n`, `\u202e`) instead of being dropped, so the operator
 * still sees which file it was.
 */

/** C0/C1 controls (newline and tab included), bidi controls, zero-width and other invisible characters, lone surrogates. */
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One line of printable text: every unsafe character written as an escape (`\n`, `\x1b`, `\u202e`). */
export function escapeLogText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
