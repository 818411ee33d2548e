/** The whole-archive store built once by test/global-setup.ts, opened read-only. */
import { inject } from 'vitest';
import { commandList } from '../../commands/index.js';
import { Archive } from '../../src/core/archive/archive.js';
import { executeReadOnlyLine } from '../../src/core/commands/execute.js';
import type { Reply } from '../../src/core/reply/reply.js';
import { openStore } from '../../src/core/store/store.js';

let archive: Archive | undefined;

export function archiveStore(): Archive {
  archive ??= new Archive(openStore({ path: inject('archiveDb'), readonly: true }).db);
  return archive;
}

/** Runs one command line against the whole archive, as of a fixed date. */
export function ask(line: string, today = '2024-10-30'): Reply {
  return executeReadOnlyLine(line, commandList, {
    archive: archiveStore(),
    today: () => today,
    onError: (err) => {
      throw err;
    },
  }).reply;
}

/** Every item label of a reply, flattened. */
export function labels(reply: Reply): string[] {
  return reply.sections.flatMap((s) => s.items.map((i) => i.label));
}
