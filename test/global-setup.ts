/**
 * Builds one store from the whole shared archive before the suite, so the
 * whole-archive and command tests share a single ingest (~10 s) instead of
 * parsing 667 issues per file. Tests get its path with `inject('archiveDb')`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openStore } from '../src/core/store/store.js';
import { createLocalSource } from '../src/core/sync/local-source.js';
import { createParser } from '../src/core/sync/parse-pool.js';
import { syncIssues } from '../src/core/sync/sync.js';
import { ARCHIVE_DIR } from './support/archive.js';

declare module 'vitest' {
  export interface ProvidedContext {
    archiveDb: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'twir-archive-db-'));
  const path = join(dir, 'archive.db');
  const store = openStore({ path });
  const parser = createParser(0);
  try {
    const report = await syncIssues({ source: createLocalSource(ARCHIVE_DIR), store, parser, now: () => new Date('2026-11-21T00:00:00Z') });
    if (report.failed.length > 0) throw new Error(`archive ingest failed for ${report.failed.map((f) => f.file).join(', ')}`);
  } finally {
    await parser.close();
    store.close();
  }
  project.provide('archiveDb', path);
  return () => rmSync(dir, { recursive: true, force: true });
}
