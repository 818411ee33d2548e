import { describe, expect, it } from 'vitest';
import type { Archive } from '../../../src/core/archive/archive.js';
import type { CommandDefinition } from '../../../src/core/commands/definition.js';
import { executeLine } from '../../../src/core/commands/execute.js';
import { neutralizeMentions } from '../../../src/core/reply/safe-text.js';

const archive = { refreshIfChanged() {}, snapshot: <T>(read: () => T) => read() } as unknown as Archive;
const echo: CommandDefinition = {
  name: 'echo',
  description: 'Echoes its words',
  options: [{ name: 'words', description: 'Words', type: 'string', positional: true, rest: true }],
  examples: ['echo hi'],
  run: (ctx, args) => ({ kind: 'answer', title: String(args.words), description: ctx.asOf, sections: [], citations: [] }),
};
const broken: CommandDefinition = {
  ...echo,
  name: 'broken',
  run: () => {
    throw new Error('boom');
  },
};

describe('executing a command line', () => {
  it('asks the clock for today on every command', async () => {
    let day = '2024-10-30';
    const options = { archive, today: () => day };
    expect((await executeLine('echo x', [echo], options)).reply.description).toBe('2024-10-30');
    day = '2024-10-31';
    expect((await executeLine('echo x', [echo], options)).reply.description).toBe('2024-10-31');
  });

  it('turns a failing handler into an error reply and reports it', async () => {
    const errors: string[] = [];
    const { reply } = await executeLine('broken', [broken], { archive, today: () => '2024-10-30', onError: (e) => errors.push(String(e)) });
    expect(reply.kind).toBe('error');
    expect(reply.title).toBe('Sorry, "broken" failed unexpectedly.');
    expect(errors).toEqual(['Error: boom']);
  });

  it('never lets a mass mention through, from a command or a usage error', async () => {
    const options = { archive, today: () => '2024-10-30' };
    for (const line of ['echo @everyone and @here', 'echo <!channel> <@123> <@&9>', '@everyone', 'echo --@here']) {
      const text = JSON.stringify((await executeLine(line, [echo], options)).reply);
      expect(text).not.toMatch(/@(everyone|here)|<[!@#]/i);
    }
  });

  it('keeps ordinary @ signs and angle brackets readable', async () => {
    expect(neutralizeMentions('mail me@example.com, Vec<u8>')).toBe('mail me@example.com, Vec<u8>');
  });
});
