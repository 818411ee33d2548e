/**
 * "Find in TWIR" on a chat message (Discord's message menu, Slack's message
 * shortcut): which of the message's links were in This Week in Rust, first
 * and last when and in which section, and which were not; a message without
 * links is searched by its words. Not a /twir subcommand: adapters run it on
 * the message they were handed, through `executeCommand` like every command,
 * so the answer is read from one snapshot and leaves mention-safe.
 */
import type { Reply, ReplyItem, ReplySection } from '../reply/reply.js';
import { MAX_MESSAGE_CHARS, MAX_MESSAGE_LINKS, type MessageLink, readMessage } from '../search/message-links.js';
import type { SearchHit } from '../search/types.js';
import { answer, issueLabel, noIssues, noteIndexing, nothing } from './answers.js';
import type { CommandContext, CommandDefinition } from './definition.js';
import { taggedTitle } from './issue-overview.js';

/** The name the platforms show: Discord's message-menu command, Slack's message shortcut. */
export const FIND_IN_TWIR = 'Find in TWIR';
/** Search results shown for a message without links. */
const WORD_HITS = 5;

/** The command adapters run with the message's text as `text`; see the file comment. */
export const findInTwir = {
  name: 'find',
  description: "Which of a message's links were in This Week in Rust, and when",
  options: [{ name: 'text', description: "The message's text", type: 'string', positional: true, rest: true }],
  examples: [],
  run(ctx, args) {
    return noteIndexing(ctx.archive, findAnswer(ctx, typeof args.text === 'string' ? args.text : ''));
  },
} as const satisfies CommandDefinition;

function findAnswer(ctx: CommandContext, text: string): Reply {
  const { archive, asOf } = ctx;
  const message = readMessage(text);
  if (message.links.length === 0 && !message.words)
    return nothing(
      archive,
      asOf,
      'That message has no text to look up: no links and no words (only attachments, embeds or emoji).',
      `${FIND_IN_TWIR} reads the links of a message, or its words when it has none.`,
    );
  if (!archive.latest(asOf)) return noIssues(archive, asOf);
  const notes = [
    ...(message.more ? [`The message has ${MAX_MESSAGE_LINKS + message.more} links; I looked up the first ${MAX_MESSAGE_LINKS}.`] : []),
    ...(message.cut ? [`Only its first ${MAX_MESSAGE_CHARS.toLocaleString('en')} characters were read.`] : []),
  ];
  if (message.links.length === 0) return wordAnswer(ctx, message.words, notes);

  const found: { link: MessageLink; hits: SearchHit[] }[] = [];
  const missing: MessageLink[] = [];
  for (const link of message.links) {
    const result = archive.search({ text: link.query, asOf, limit: 5, ...(ctx.pin !== undefined ? { maxIssue: ctx.pin } : {}) });
    // A pull request or RFC nobody linked falls back to a word search there: that is "not linked" here.
    if (result.lookup && result.hits.length > 0) found.push({ link, hits: result.hits });
    else missing.push(link);
  }
  const n = message.links.length;
  const summary =
    n === 1
      ? found.length
        ? 'That link was in This Week in Rust.'
        : 'That link was never in This Week in Rust.'
      : `${found.length} of the ${n} links ${found.length === 1 ? 'was' : 'were'} in This Week in Rust.`;
  const sections: ReplySection[] = found.map(({ link, hits }) => ({ label: shorten(link.lookup.label, 200), items: linkedItems(hits) }));
  if (missing.length)
    sections.push({
      label: 'Never in This Week in Rust',
      items: missing.map((l) => ({ label: shorten(l.lookup.label, 200), ...(/^https?:\/\//i.test(l.query) ? { url: l.query } : {}) })),
    });
  return answer(archive, asOf, {
    title: `${FIND_IN_TWIR}: ${summary}`,
    ...(notes.length ? { description: notes.join(' ') } : {}),
    sections,
    citations: found.flatMap(({ hits }) => hits.map((h) => ({ ...h.issue, file: '' }))),
  });
}

/** Where one link was: the last issue that linked it and, when earlier, the first (each linking to the issue). */
function linkedItems(hits: SearchHit[]): ReplyItem[] {
  // Several stored spellings of one link (http/https, a trailing slash) are one link here.
  const last = hits.reduce((a, b) => (b.issue.date > a.issue.date ? b : a));
  const first = hits.reduce((a, b) => (b.firstSeen.date < a.firstSeen.date ? b : a)).firstSeen;
  const mentions = Math.max(...hits.map((h) => h.mentions));
  const what = `"${shorten(taggedTitle(last.title, last.tags), 150)}" in ${last.section}`;
  if (first.date === last.issue.date)
    return [
      { label: issueName(last.issue), url: last.issue.url, detail: `Linked ${mentions === 1 ? 'once' : `${mentions} times`}: ${what}` },
    ];
  return [
    { label: issueName(last.issue), url: last.issue.url, detail: `Last linked (in ${mentions} issues): ${what}` },
    { label: issueName(first), url: first.url, detail: 'First linked' },
  ];
}

function issueName(issue: { number: number | null; date: string }): string {
  return issueLabel({ ...issue, title: 'This Week in Rust' }).replace(/^#/, 'This Week in Rust ');
}

/** No links: the best few items matching the message's words, saying it searched by words. */
function wordAnswer(ctx: CommandContext, words: string, notes: string[]): Reply {
  const { archive, asOf } = ctx;
  const result = archive.search({ text: words, asOf, limit: WORD_HITS, ...(ctx.pin !== undefined ? { maxIssue: ctx.pin } : {}) });
  const quoted = `"${shorten(words, 80)}"`;
  if (result.hits.length === 0)
    return nothing(
      archive,
      asOf,
      `The message has no links, and nothing in the archive matches its words ${quoted}.`,
      'Try /twir search with fewer words.',
    );
  const said = `The message has no links, so I searched its words: ${quoted}.${result.partial ? ' No item has every word; these match the most of them.' : ''}`;
  return answer(archive, asOf, {
    title: `${FIND_IN_TWIR}: searched the message's words`,
    description: [said, ...notes].join(' '),
    sections: [
      {
        label:
          result.total > WORD_HITS
            ? `Best ${WORD_HITS} of ${result.total} results`
            : `${result.total} result${result.total === 1 ? '' : 's'}`,
        items: result.hits.map((h) => ({
          label: taggedTitle(h.title, h.tags),
          url: h.url,
          detail: `${h.section} — ${issueName(h.issue)}`,
        })),
      },
    ],
    citations: result.hits.map((h) => ({ ...h.issue, file: '' })),
  });
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What a Share button re-answers, saved by the adapter (shared page states) when the private answer is made. */
export interface SavedFind {
  text: string;
  asOf: string;
  /** The newest issue number the private answer saw, so the shared one says the same. */
  pin?: number;
  /** Who ran Find in TWIR; only they may share. */
  user: string | null;
  /** ISO time it was saved. */
  at: string;
}

/** Saved answers older than this are forgotten; their Share buttons then say so. */
export const FIND_STATE_TTL_DAYS = 30;

/** A saved Share state read back; null when missing, malformed or older than FIND_STATE_TTL_DAYS. */
export function readSavedFind(json: string | undefined, now: Date): SavedFind | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as Record<string, unknown>;
    if (typeof v.text !== 'string' || typeof v.asOf !== 'string' || typeof v.at !== 'string') return null;
    if (Date.parse(v.at) < now.getTime() - FIND_STATE_TTL_DAYS * 86_400_000) return null;
    const pin = typeof v.pin === 'number' && Number.isInteger(v.pin) ? { pin: v.pin } : {};
    return { text: v.text, asOf: v.asOf, ...pin, user: typeof v.user === 'string' ? v.user : null, at: v.at };
  } catch {
    return null;
  }
}
