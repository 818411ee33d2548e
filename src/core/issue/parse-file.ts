/**
 * Bytes → Issue: decodes (UTF-8, else Windows-1252) and parses. The one entry
 * point sync workers call, so a file that is not UTF-8 still yields an issue
 * with a diagnostic instead of an exception.
 */
import { parseIssue } from './parse-issue.js';
import { decodeBytes } from './text.js';
import type { Issue } from './types.js';

/**
 * Bumped whenever extraction changes, so the next sync re-parses stored issues
 * whose records came from an older parser (their content hash alone would not
 * tell).
 */
export const PARSER_VERSION = 4;

export function parseIssueBytes(bytes: Uint8Array, file: string): Issue {
  const { text, encoding } = decodeBytes(bytes);
  const issue = parseIssue(text, { file });
  if (encoding !== 'utf-8') issue.diagnostics.unshift({ level: 'warn', message: 'file is not valid UTF-8; read as Windows-1252' });
  return issue;
}
