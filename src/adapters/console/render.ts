/**
 * Renders a neutral Reply as plain text for a terminal. The console has no
 * length limits, but it does have escape sequences: text from issues is
 * stripped of control characters so an issue can never drive the terminal.
 */
import type { Reply } from '../../core/reply/reply.js';

export function renderText(reply: Reply): string {
  const lines: string[] = [];
  const push = (text: string, indent = ''): void => {
    for (const l of clean(text).split('\n')) lines.push(indent + l);
  };
  push(reply.kind === 'usage-error' ? `error: ${reply.title}` : reply.title);
  if (reply.url) push(reply.url);
  if (reply.warning) push(`! ${reply.warning}`);
  if (reply.description) push(reply.description);
  for (const section of reply.sections) {
    lines.push('');
    push(section.label);
    for (const item of section.items) {
      push(`  • ${item.label}${item.url ? ` <${item.url}>` : ''}`);
      if (item.detail) push(item.detail, '    ');
    }
  }
  const paging = reply.page?.next ? `Page ${reply.page.page} of ${reply.page.pages}: add --page ${reply.page.next} for more.` : '';
  if (reply.hint || paging) {
    lines.push('');
    if (reply.hint) push(reply.hint);
    if (paging) push(paging);
  }
  if (reply.footer) {
    lines.push('');
    push(`— ${reply.footer}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The Reply as the `--json` document: stable field names, documented in the README. */
export function renderJson(reply: Reply, meta: { command: string | null; asOf: string }): string {
  return `${JSON.stringify({ command: meta.command, asOf: meta.asOf, ...reply }, null, 2)}\n`;
}

function clean(text: string): string {
  // C0/C1 controls (ESC starts terminal escape sequences) and bidi overrides; keep newlines and tabs.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '');
}
