import { describe, expect, it } from 'vitest';
import type { CommandDefinition } from '../../../src/core/commands/definition.js';
import { parseCommandLine } from '../../../src/core/commands/parse-command-line.js';

const find: CommandDefinition = {
  name: 'find',
  description: 'Finds things',
  options: [
    { name: 'query', description: 'Words', type: 'string', positional: true, rest: true },
    { name: 'section', description: 'Section', type: 'string' },
  ],
  examples: ['find x'],
  run: () => ({ kind: 'answer', title: '', sections: [], citations: [] }),
};

function args(line: string) {
  const parsed = parseCommandLine(line, [find]);
  if (!parsed.ok) throw new Error(parsed.reply.title);
  return parsed.args;
}

describe('reading one line of text into options (console prompt, Slack)', () => {
  it('keeps a quoted phrase as one value', () => {
    expect(args('find "async closures"')).toMatchObject({ query: 'async closures' });
  });

  it('keeps a quoted value of key:value together, with double or single quotes', () => {
    expect(args('find async section:"Rust Walkthroughs"')).toMatchObject({ query: 'async', section: 'Rust Walkthroughs' });
    expect(args("find async section:'project updates'")).toMatchObject({ query: 'async', section: 'project updates' });
  });

  it('leaves an apostrophe inside a word and an unclosed quote as typed', () => {
    expect(args("find don't panic")).toMatchObject({ query: "don't panic" });
    expect(args('find "unclosed words')).toMatchObject({ query: '"unclosed words' });
  });

  it('reads smart quotes and dashes typed on phones and Macs as straight quotes and --', () => {
    expect(args('find async section:“Rust Walkthroughs”')).toMatchObject({ query: 'async', section: 'Rust Walkthroughs' });
    expect(args('find “async closures” —section news')).toMatchObject({ query: 'async closures', section: 'news' });
    expect(args('find x –section=news')).toMatchObject({ query: 'x', section: 'news' });
    expect(args('find don’t panic — now')).toMatchObject({ query: "don't panic — now" });
    const global = parseCommandLine('find x —page 2', [find]);
    expect(global.ok && global.global.page).toBe(2);
  });
});
