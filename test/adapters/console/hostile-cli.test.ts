/**
 * The built `twir` against what an attacker or an unlucky operator gives it:
 * a parse that never ends, hostile file names, hidden mentions, odd `--out`
 * targets, an endless stdin line, a read-only or mistyped store.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ARCHIVE_DIR } from '../../support/archive.js';
import { runCli } from '../../support/run-cli.js';

const FILES = ['2024-10-16-this-week-in-rust.md', '2024-10-23-this-week-in-rust.md', '2024-10-30-this-week-in-rust.md'];

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'twir-hostile-'));
  const content = join(dir, 'content');
  mkdirSync(content);
  for (const f of FILES) copyFileSync(join(ARCHIVE_DIR, f), join(content, f));
  return { dir, content, env: { TWIR_DB: join(dir, 'data', 'twir.db'), TWIR_SOURCE: content, TWIR_PARSE_WORKERS: '1' } };
}

/** Under 1 MB, but micromark is quadratic on unmatched emphasis runs: this parses for minutes. */
const NEVER_ENDING = `Title: This Week in Rust 998\nNumber: 998\nDate: 2024-11-06\n\n${'*a_'.repeat(300_000)}\n`;

describe('twir sync with a parse that does not end', () => {
  it('abandons it at the timeout or heap cap, exits, and does not parse it again until it changes', () => {
    const { content, env } = setup();
    writeFileSync(join(content, '2024-11-06-this-week-in-rust.md'), NEVER_ENDING);
    // 5 s: room for the real issues on a loaded machine; the hostile one needs minutes.
    const timed = { ...env, TWIR_PARSE_TIMEOUT_SECONDS: '5' };
    const first = runCli(['sync'], timed);
    expect(first.stderr).toMatch(/3 stored, 0 removed, 1 failed/);
    // Ended by the clock or by the worker's heap cap, whichever it reaches first on this machine.
    const abandoned =
      /^warning: 2024-11-06-this-week-in-rust\.md: (parsing (took longer than 5 s|needed more than the 96 MB a parse may use); skipped)$/m;
    expect(first.stderr).toMatch(abandoned);
    const why = abandoned.exec(first.stderr)?.[1] as string;
    expect(first.code).toBe(1);
    const second = runCli(['sync'], timed);
    expect(second.stderr).toMatch(/0 stored, 0 removed, 1 failed/);
    expect(second.stderr).toContain(`2024-11-06-this-week-in-rust.md: ${why} (unchanged since it failed, so not tried again`);
    expect(second.stderr).toContain('Nothing new to parse.');
  });
});

describe('twir sync logs', () => {
  it('write hostile file names as visible escapes: no terminal control, no forged line', () => {
    const { content, env } = setup();
    writeFileSync(join(content, '2024-11-13-\x1b]0;owned\x07.md'), 'not an issue');
    writeFileSync(join(content, '2024-11-20\nerror: all issues deleted.md'), 'not an issue');
    const r = runCli(['sync'], env);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
    expect(r.stderr).not.toMatch(/[\u0007\u001b]/);
    expect(r.stderr).not.toMatch(/^error: all issues deleted/m);
    expect(r.stderr).toContain('warning: 2024-11-13-\\x1b]0;owned\\x07.md: no TWIR header');
    expect(r.stderr).toContain('warning: 2024-11-20\\nerror: all issues deleted.md: no TWIR header');
  });
});

describe('twir export --out', () => {
  let env: Record<string, string>;
  let dir: string;
  beforeAll(() => {
    ({ dir, env } = setup());
    expect(runCli(['sync'], env).code).toBe(0);
  });

  it('refuses a symlink in one line and leaves it and its target alone', () => {
    const target = join(dir, 'precious.txt');
    writeFileSync(target, 'precious');
    const link = join(dir, 'export.json');
    symlinkSync(target, link);
    const r = runCli(['export', '--out', link], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cannot write ${link}: it is a symbolic link; give the path of the file it points to, or a new path\n`);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('precious');
  });

  it('refuses a device instead of replacing it', () => {
    const r = runCli(['export', '--out', '/dev/null'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot write \/dev\/null: it is a device/);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});

describe('twir queries', () => {
  it('never print a working mention, whatever the query hides in it (text and --json)', () => {
    const env = { TWIR_DB: inject('archiveDb') };
    for (const word of ['@\x01everyone', '<\x01!channel>', '@\u202Ehere', '＠everyone']) {
      for (const json of [false, true]) {
        const r = runCli(['crate', word, ...(json ? ['--json'] : [])], env);
        expect(`${r.stdout}${r.stderr}`).not.toMatch(/@(everyone|here)|<[!@#]/i);
      }
    }
  });

  it('refuse an endless stdin line without crashing, and answer the lines around it', () => {
    const input = `latest --as-of 2024-10-30\n${'x'.repeat(50_000_000)}\nlatest --as-of 2024-10-23\n`;
    const r = runCli([], { TWIR_DB: inject('archiveDb') }, input);
    expect(r.stderr).toContain('error: line 2 is 50000000 bytes long, over the 8000-byte limit; skipped.');
    expect(r.stdout).toMatch(/This Week in Rust 571[\s\S]*This Week in Rust 570/);
    expect(r.code).toBe(2);
  });

  it('say a mistyped TWIR_DB does not exist, and create nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twir-typo-'));
    const db = join(dir, 'dat', 'twir.db');
    const r = runCli(['latest'], { TWIR_DB: db });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: the store ${db} does not exist: run \`twir sync\` to create it, or check TWIR_DB.\n`);
    expect(existsSync(join(dir, 'dat'))).toBe(false);
  });

  it('answer from a store in a read-only folder (read-only file too)', () => {
    const { dir, env } = setup();
    expect(runCli(['sync'], env).code).toBe(0);
    const data = join(dir, 'data');
    chmodSync(join(data, 'twir.db'), 0o444);
    chmodSync(data, 0o555);
    chmodSync(dir, 0o755);
    // Root ignores permissions: run the query as `nobody` when the tests run as root.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const bin = fileURLToPath(new URL('../../../bin/twir.js', import.meta.url));
    for (const args of [['latest', '--as-of', '2024-10-30'], ['export']]) {
      const r = spawnSync(process.execPath, [bin, ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: '/tmp', TWIR_DB: join(data, 'twir.db') },
        encoding: 'utf8',
        ...asUser,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(args[0] === 'latest' ? /This Week in Rust 571/ : /"count": 3/);
    }
  });
});
