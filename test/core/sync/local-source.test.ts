import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/core/store/store.js';
import { SourceNotFoundError } from '../../../src/core/sync/errors.js';
import { createLocalSource } from '../../../src/core/sync/local-source.js';
import { createParser } from '../../../src/core/sync/parse-pool.js';
import { gitBlobSha } from '../../../src/core/sync/source.js';
import { syncIssues } from '../../../src/core/sync/sync.js';
import { miniIssueFile, miniIssueMarkdown } from '../../support/issue-markdown.js';

const encode = (text: string) => new TextEncoder().encode(text);

describe('gitBlobSha', () => {
  // Expected values computed once with `printf … | git hash-object --stdin`.
  it('matches git hash-object for ASCII text', () => {
    expect(gitBlobSha(encode('hello world\n'))).toBe('3b18e512dba79e4c8300dd08aeb37f8e728b8dad');
  });

  it('matches git hash-object for an empty file', () => {
    expect(gitBlobSha(new Uint8Array())).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });

  it('counts bytes, not characters, for non-ASCII text', () => {
    expect(gitBlobSha(encode('Title: This Week in Rust 1\nNürnberg 🦀\n'))).toBe('e581f96c19e04177f3cde085ffc9ec1e8987a7a3');
  });
});

describe('createLocalSource', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'twir-local-source-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists .md and .markdown issues with git blob shas, skipping READMEs, other files and sub-folders', async () => {
    await writeFile(join(dir, '2024-01-03-this-week-in-rust.md'), 'hello world\n');
    await writeFile(join(dir, '2013-06-22-this-week-in-rust.markdown'), 'Title: This Week in Rust 1\nNürnberg 🦀\n');
    await writeFile(join(dir, 'README.md'), '# Content\n');
    await writeFile(join(dir, 'readme.markdown'), '# Content\n');
    await writeFile(join(dir, 'notes.txt'), 'notes\n');
    await mkdir(join(dir, 'drafts.md'));

    const listing = await createLocalSource(dir).list();
    expect(listing).toMatchObject({ notModified: false, complete: true, warnings: [] });
    expect(listing.files).toEqual([
      // Sizes in bytes (ü is 2 bytes, 🦀 4), so a sync can refuse a huge file before reading it.
      { name: '2013-06-22-this-week-in-rust.markdown', sha: 'e581f96c19e04177f3cde085ffc9ec1e8987a7a3', size: 42 },
      { name: '2024-01-03-this-week-in-rust.md', sha: '3b18e512dba79e4c8300dd08aeb37f8e728b8dad', size: 12 },
    ]);
  });

  it('reads the bytes of a listed file unchanged', async () => {
    await writeFile(join(dir, '2024-01-03-this-week-in-rust.md'), '\ufeffTitle: This Week in Rust 528\r\n');
    const source = createLocalSource(dir);
    const [file] = (await source.list()).files;
    const bytes = await source.read(file!);
    expect(gitBlobSha(bytes)).toBe(file?.sha);
    expect(bytes[0]).toBe(0xef);
  });

  it('gives an edited file a new sha', async () => {
    const path = join(dir, '2024-01-03-this-week-in-rust.md');
    await writeFile(path, 'Title: This Week in Rust 528\n');
    const source = createLocalSource(dir);
    const before = (await source.list()).files[0]?.sha;
    await writeFile(path, 'Title: This Week in Rust 528\nNumber: 528\n');
    const after = (await source.list()).files[0]?.sha;
    expect(after).not.toBe(before);
  });

  it('names the path and TWIR_SOURCE when the folder is missing', async () => {
    const missing = join(dir, 'no-such-folder');
    const error = await createLocalSource(missing)
      .list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceNotFoundError);
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).toContain('TWIR_SOURCE');
  });

  it('treats a file given as the folder like a missing folder', async () => {
    const file = join(dir, 'content.md');
    await writeFile(file, 'x');
    await expect(createLocalSource(file).list()).rejects.toBeInstanceOf(SourceNotFoundError);
  });

  it('refuses to read outside its folder', async () => {
    await expect(createLocalSource(dir).read({ name: '../secret.md', sha: '' })).rejects.toThrow(/not a plain file name/);
  });

  it('skips a file that vanished after the folder was read, names it, and marks the listing incomplete', async () => {
    await writeFile(join(dir, '2024-01-03-this-week-in-rust.md'), 'hello world\n');
    // A symlink to a missing target is listed by readdir but fails stat, like a file deleted mid-listing.
    await symlink(join(dir, 'gone.md'), join(dir, '2024-01-10-this-week-in-rust.md'));
    const listing = await createLocalSource(dir).list();
    expect(listing.files).toEqual([{ name: '2024-01-03-this-week-in-rust.md', sha: '3b18e512dba79e4c8300dd08aeb37f8e728b8dad', size: 12 }]);
    expect(listing.complete).toBe(false);
    expect(listing.warnings).toHaveLength(1);
    expect(listing.warnings[0]).toMatch(/^2024-01-10-this-week-in-rust\.md: skipped, cannot read it \(ENOENT, no such file or directory\)/);
  });

  it('still ignores a symlink that points at a folder', async () => {
    await mkdir(join(dir, 'drafts'));
    await symlink(join(dir, 'drafts'), join(dir, '2024-01-10-this-week-in-rust.md'));
    expect(await createLocalSource(dir).list()).toMatchObject({ files: [], complete: true, warnings: [] });
  });

  // Root reads through any permission bits, so this case only runs as a normal user.
  it.skipIf(process.getuid?.() === 0)('skips an unreadable file with a warning naming it', async () => {
    const path = join(dir, '2024-01-03-this-week-in-rust.md');
    await writeFile(path, 'hello world\n');
    await chmod(path, 0o000);
    const listing = await createLocalSource(dir).list();
    expect(listing).toMatchObject({ files: [], complete: false });
    expect(listing.warnings[0]).toMatch(/^2024-01-03-this-week-in-rust\.md: skipped, cannot read it \(EACCES/);
  });

  it('keeps the stored issue of a file that cannot be read on this sync', async () => {
    const issue = (number: number, date: string) => ({ name: miniIssueFile({ number, date }), text: miniIssueMarkdown({ number, date }) });
    const a = issue(570, '2024-10-23');
    const b = issue(571, '2024-10-30');
    await writeFile(join(dir, a.name), a.text);
    await writeFile(join(dir, 'real-571.txt'), b.text);
    await symlink(join(dir, 'real-571.txt'), join(dir, b.name));
    const store = openStore({ path: ':memory:' });
    const parser = createParser(0);
    const source = createLocalSource(dir);
    const sync = () => syncIssues({ source, store, parser, now: () => new Date('2024-11-01T00:00:00Z') });
    expect((await sync()).stored).toBe(2);
    await rm(join(dir, 'real-571.txt'));
    const report = await sync();
    expect(report.removed).toEqual([]);
    expect(report.warnings.join('\n')).toContain(b.name);
    expect(store.stats().issues).toBe(2);
  });

  it('describes itself by its absolute folder', () => {
    expect(createLocalSource(dir).description).toBe(`folder ${dir}`);
  });
});

describe('local source listing cache', () => {
  it('reuses a remembered sha while size and mtime are unchanged, and rehashes when they change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twir-local-cache-'));
    const file = join(dir, '2024-10-30-this-week-in-rust.md');
    writeFileSync(file, 'one\n');
    const memory = new Map<string, string>();
    const state = { get: (k: string) => memory.get(k), set: (k: string, v: string) => void memory.set(k, v) };
    const source = createLocalSource(dir, { state });
    const first = (await source.list()).files[0]?.sha;
    expect(first).toBe(gitBlobSha(new TextEncoder().encode('one\n')));
    // Same size and mtime: the remembered sha is used, even though the bytes changed behind its back.
    const stamp = new Date('2024-01-01T00:00:00Z');
    writeFileSync(file, 'two\n');
    utimesSync(file, stamp, stamp);
    const remembered = (await source.list()).files[0]?.sha;
    writeFileSync(file, 'one\n');
    utimesSync(file, stamp, stamp);
    expect((await source.list()).files[0]?.sha).toBe(remembered);
    // A forced (unconditional) listing hashes again.
    expect((await source.list({ conditional: false })).files[0]?.sha).toBe(first);
    // A new mtime means a new hash.
    writeFileSync(file, 'two\n');
    utimesSync(file, new Date(), new Date('2025-01-01T00:00:00Z'));
    expect((await source.list()).files[0]?.sha).toBe(gitBlobSha(new TextEncoder().encode('two\n')));
  });
});
