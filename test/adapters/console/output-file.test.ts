import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { OutputRefusedError, writeOutputFile } from '../../../src/adapters/console/output-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'twir-out-'));
});

const write = (text: string) => (stream: Writable) =>
  new Promise<number>((resolve, reject) => {
    stream.on('error', reject);
    stream.end(text, () => resolve(text.length));
  });

describe('export --out target', () => {
  it('creates a new file', async () => {
    expect(await writeOutputFile(join(dir, 'new.json'), write('{}'))).toBe(2);
    expect(readFileSync(join(dir, 'new.json'), 'utf8')).toBe('{}');
  });

  it('replaces a regular file and keeps its mode', async () => {
    const out = join(dir, 'kept.json');
    writeFileSync(out, 'old');
    chmodSync(out, 0o640);
    await writeOutputFile(out, write('new'));
    expect(readFileSync(out, 'utf8')).toBe('new');
    expect(statSync(out).mode & 0o777).toBe(0o640);
  });

  it('refuses a symlink and leaves it and its target alone', async () => {
    const target = join(dir, 'target.json');
    writeFileSync(target, 'precious');
    const link = join(dir, 'link.json');
    symlinkSync(target, link);
    await expect(writeOutputFile(link, write('x'))).rejects.toThrow(
      new OutputRefusedError('it is a symbolic link; give the path of the file it points to, or a new path'),
    );
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(readdirSync(dir).sort()).toEqual(['link.json', 'target.json']);
  });

  it('refuses a FIFO without opening it, and leaves it a FIFO', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(writeOutputFile(fifo, write('x'))).rejects.toThrow(/named pipe \(FIFO\)/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('refuses a device and a folder', async () => {
    await expect(writeOutputFile('/dev/null', write('x'))).rejects.toThrow(/it is a device/);
    await expect(writeOutputFile(dir, write('x'))).rejects.toThrow(/it is a folder/);
  });

  it('refuses a symlink put in place while the export was running, and removes its temporary file', async () => {
    const out = join(dir, 'raced.json');
    const slow = (stream: Writable) =>
      new Promise<number>((resolve) => {
        symlinkSync('/etc/passwd', out);
        stream.end('x', () => resolve(1));
      });
    await expect(writeOutputFile(out, slow)).rejects.toThrow(/symbolic link/);
    expect(readdirSync(dir)).toEqual(['raced.json']);
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
  });
});
