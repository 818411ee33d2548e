import type { CommandDefinition } from '../src/core/commands/definition.js';
import { closestCommand, didYouMean } from '../src/core/commands/parse-command-line.js';
import { usageError } from '../src/core/reply/reply.js';

/**
 * `/twir help [command]` — what each command does, with examples. It is given
 * the catalogue (`commands/index.ts` lists help itself) rather than importing
 * it, so the two modules do not import each other.
 */
export function helpCommand(catalogue: () => readonly CommandDefinition[]): CommandDefinition {
  return {
    name: 'help',
    description: 'What each /twir command does, with examples',
    options: [
      { name: 'command', description: 'A command to explain', type: 'string', positional: true, autocomplete: 'commands', maxLength: 40 },
    ],
    examples: ['help', 'help events'],
    run(_ctx, args) {
      const commandList = catalogue();
      const name = String(args.command ?? '')
        .trim()
        .toLowerCase();
      const footer = 'Answers come from This Week in Rust (this-week-in-rust.org), CC-BY-SA 4.0.';
      if (!name) {
        return {
          kind: 'answer',
          title: 'twir — ask This Week in Rust',
          description: 'Every command takes an as-of date (only issues published on or before it count) and a page number for long lists.',
          sections: [
            { label: 'Commands', items: commandList.map((c) => ({ label: c.name, detail: `${c.description}. e.g. ${c.examples[0]}` })) },
          ],
          citations: [],
          footer,
          // Help is for the asker: posting it in the channel would only be noise for everyone else.
          private: true,
        };
      }
      const cmd = commandList.find((c) => c.name === name);
      if (!cmd) {
        const guess = closestCommand(name, commandList);
        return usageError(`There is no command "${name.slice(0, 40)}".`, guess ? didYouMean(guess) : 'Try "help" for the list.');
      }
      return {
        kind: 'answer',
        title: cmd.name,
        description: cmd.description,
        sections: [
          {
            label: 'Options',
            items: cmd.options.map((o) => ({ label: o.name, detail: `${o.description}${o.required ? ' (required)' : ''}` })),
          },
          { label: 'Examples', items: cmd.examples.map((e) => ({ label: `/twir ${e}` })) },
        ].filter((s) => s.items.length > 0),
        citations: [],
        footer,
        private: true,
      };
    },
  };
}
