import { describe, expect, it } from 'vitest';
import { renderJson, renderText } from '../../../src/adapters/console/render.js';
import type { Archive } from '../../../src/core/archive/archive.js';
import type { CommandDefinition } from '../../../src/core/commands/definition.js';
import { executeCommand, executeLine } from '../../../src/core/commands/execute.js';
import { safeText, sanitizeReply } from '../../../src/core/reply/safe-text.js';

/** Whatever a client might strip or fold before it parses mentions. */
const HIDDEN = [
  '\x01',
  '\x1b',
  '\x7f',
  '\u0085',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u202e',
  '\u2066',
  '\u200f',
  '\u00ad',
  '\u{e0041}',
];

/** Every way we know of to spell a working mass mention. */
function hostileMentions(): string[] {
  const out: string[] = ['＠everyone', '＠ｈｅｒｅ', '﹫here', '＜!channel>', '<!ｅｖｅｒｙｏｎｅ>'];
  for (const h of HIDDEN)
    out.push(`@${h}everyone`, `@${h}here`, `<${h}!channel>`, `<${h}!here>`, `<${h}@U123>`, `@e${h}very${h}one`, `${h}@here`);
  return out;
}

/**
 * What a later stage might do to the text: fold compatibility forms and drop controls and
 * format characters (the console used to strip controls after mentions were broken). Only the
 * zero-width space that breaks a mention is kept: it is the neutraliser, not something hidden.
 */
function asAClientSeesIt(text: string): string {
  return text.normalize('NFKC').replace(/(?!\u200b)[\p{Cc}\p{Cf}\u00ad]/gu, '');
}

const MENTION = /@(everyone|here)|<[!@#]/i;

describe('safe text (normalise, then neutralise)', () => {
  it.each(hostileMentions())('leaves no working mention in %j, even once controls and format characters are stripped', (text) => {
    // A real threat (a zero-width space inside is one only for a client that drops it).
    if (!text.includes('\u200b')) expect(asAClientSeesIt(text)).toMatch(MENTION);
    const safe = safeText(`hello ${text} world`);
    expect(safe).not.toMatch(MENTION);
    expect(asAClientSeesIt(safe)).not.toMatch(MENTION);
    // The zero-width space that breaks the mention is the only invisible character left.
    expect(safe.replace(/\u200b/g, '')).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });

  it('is idempotent', async () => {
    for (const text of hostileMentions()) expect(safeText(safeText(text))).toBe(safeText(text));
  });

  it('keeps newlines, tabs, accents, emoji sequences and ordinary @ and <', async () => {
    const text = 'Zürich\tcafé 👩‍💻 🏳️‍🌈\nmail me@example.com, Vec<u8>';
    expect(safeText(text)).toBe(text);
  });

  it('strips terminal escape sequences and carriage returns from issue text', async () => {
    expect(safeText('ok\x1b]0;owned\x07 \x1b[2Jdone\rx')).toBe('ok]0;owned [2Jdonex');
  });

  it('sanitizes every string of a Reply, nested ones included', async () => {
    const reply = sanitizeReply({
      kind: 'answer',
      title: '@\x01everyone',
      sections: [{ label: '<\x01!channel>', items: [{ label: 'x', detail: '@\u202ehere', url: 'https://a.test/@\u200beveryone' }] }],
      citations: [{ number: 1, date: '2024-10-30', title: '＠here', url: 'https://a.test' }],
    });
    expect(JSON.stringify(reply).replace(/\\u200b|\u200b/g, '')).toMatch(/everyone/);
    expect(JSON.stringify(reply)).not.toMatch(MENTION);
  });
});

const archive = { refreshIfChanged() {}, snapshot: <T>(read: () => T) => read() } as unknown as Archive;
// Plays an issue whose text carries hidden mentions: the reply is built from stored text, not the query.
const issueText: CommandDefinition = {
  name: 'quote',
  description: 'Quote',
  options: [{ name: 'words', description: 'Words', type: 'string', positional: true, rest: true }],
  examples: ['quote'],
  run: (_ctx, args) => ({
    kind: 'answer',
    title: `No quote matches "${String(args.words ?? '')}"`,
    description: 'From the issue: @\x01everyone, <\x01!channel> and @\u202Ehere',
    sections: [{ label: 'Quotes', items: [{ label: '@\u2066everyone', detail: '<\u200b!here>' }] }],
    citations: [],
  }),
};

describe('every reply passes through safeText', () => {
  const options = { archive, today: () => '2024-10-30' };

  it('from a line, in text and in JSON', async () => {
    const executed = await executeLine("quote '@\x01everyone'", [issueText], options);
    const text = renderText(executed.reply);
    const json = renderJson(executed.reply, { command: 'quote', asOf: '2024-10-30' });
    for (const out of [text, json, JSON.stringify(JSON.parse(json))]) {
      expect(out).not.toMatch(MENTION);
      expect(asAClientSeesIt(out)).not.toMatch(MENTION);
    }
  });

  it('from executeCommand called directly (as chat adapters do)', async () => {
    const reply = await executeCommand(issueText, { words: '＠everyone' }, {}, options);
    expect(JSON.stringify(reply)).not.toMatch(MENTION);
  });
});
