/**
 * Renders a neutral Reply as plain text for a terminal. The console has no
 * length limits, but it does have escape sequences: every string goes through
 * the core's `safeText` (controls, bidi and zero-width characters stripped,
 * then mentions broken) so an issue can never drive the terminal. Replies from
 * `executeLine` are already safe; doing it again here costs little and keeps
 * a reply built any other way just as safe.
 */
import type { Reply } from '../../core/reply/reply.js';
import { safeText, sanitizeReply } from '../../core/reply/safe-text.js';

export function renderText(reply: Reply): string {
  const lines: string[] = [];
  const push = (text: string, indent = ''): void => {
    for (const l of safeText(text).split('\n')) lines.push(indent + l);
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
  return `${JSON.stringify(sanitizeReply({ command: meta.command, asOf: meta.asOf, ...reply }), null, 2)}\n`;
}
