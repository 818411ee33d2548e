import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHIVE_DIR } from '../../support/archive.js';
import { runCli } from '../../support/run-cli.js';

// Four files: more than a sync parses inline, so these runs use the worker threads.
const FILES = [
  '2024-10-09-this-week-in-rust.md',
  '2024-10-16-this-week-in-rust.md',
  '2024-10-23-this-week-in-rust.md',
  '2024-10-30-this-week-in-rust.md',
];

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'twir-cli-'));
  const content = join(dir, 'content');
  mkdirSync(content);
  for (const f of FILES) copyFileSync(join(ARCHIVE_DIR, f), join(content, f));
  return { dir, content, env: { TWIR_DB: join(dir, 'twir.db'), TWIR_SOURCE: content, TWIR_PARSE_WORKERS: '2' } };
}

describe('twir sync / export / serve (built CLI, worker threads)', () => {
  it('syncs a folder on worker threads, then finds nothing new', () => {
    const { env } = setup();
    const first = runCli(['sync'], env);
    expect(first.stderr).toContain('4 stored');
    expect(first.code).toBe(0);
    const second = runCli(['sync'], env);
    expect(second.stderr).toContain('4 unchanged, 0 stored');
  });

  it('exports every issue as JSON in the documented schema', () => {
    const { dir, env } = setup();
    runCli(['sync'], env);
    const out = join(dir, 'export.json');
    expect(runCli(['export', '--out', out], env).code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.schema).toBe('twir-bot/issues@1');
    expect(doc.count).toBe(4);
    expect(doc.issues.map((i: { number: number }) => i.number)).toEqual([568, 569, 570, 571]);
    expect(doc.issues[3]).toMatchObject({
      date: '2024-10-30',
      url: 'https://this-week-in-rust.org/blog/2024/10/30/this-week-in-rust-571/',
    });
    expect(doc.issues[3].cratesOfWeek[0].name).toBe('tower-http-client');
  });

  it('reports one bad file and stores the rest', () => {
    const { content, env } = setup();
    writeFileSync(join(content, 'broken.md'), Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00]));
    const r = runCli(['sync'], env);
    expect(r.stderr).toMatch(/4 stored.*1 failed/);
    expect(r.stderr).toContain('broken.md');
    expect(r.code).toBe(1);
  });

  it('serve says in one line how to work offline when GitHub is unreachable and nothing is stored', () => {
    const { dir } = setup();
    const r = runCli(['serve'], {
      TWIR_DB: join(dir, 'empty.db'),
      GITHUB_API_URL: 'http://127.0.0.1:9',
      GITHUB_RAW_URL: 'http://127.0.0.1:9',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/TWIR_SOURCE=\/path\/to\/this-week-in-rust\/content/);
  });

  it('serve loads the store and says how to ask', () => {
    const { env } = setup();
    const r = runCli(['serve'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Loaded 4 issues; newest This Week in Rust 571 \(2024-10-30\)/);
    expect(r.stdout).toContain('npx twir crate');
  });

  it('names the variable when configuration is wrong', () => {
    const r = runCli(['sync'], { TWIR_REPO: 'not-a-repo' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('TWIR_REPO');
  });
});

describe('twir sync with a file too big for a parse worker', () => {
  it('reports that file and stores the rest', () => {
    const { content, env } = setup();
    const huge = `* [x](https://a.test/) ${'word '.repeat(1_000_000)}\n${Array.from({ length: 20_000 }, (_, i) => `* [l${i}](https://b.test/${i})`).join('\n')}\n`;
    writeFileSync(
      join(content, '2024-11-01-this-week-in-rust.md'),
      `Title: This Week in Rust 999\nNumber: 999\nDate: 2024-11-01\n\n## Updates\n\n${huge}`,
    );
    const r = runCli(['sync'], env);
    expect(r.stderr).toMatch(/4 stored.*1 failed/);
    expect(r.stderr).toMatch(/2024-11-01-this-week-in-rust\.md: .*memory limit/);
  });
});
