import { describe, expect, inject, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';

const env = () => ({ TWIR_DB: inject('archiveDb') });

describe('twir <command> (console adapter, built CLI, whole archive)', () => {
  it('prints one plain-text answer with its citation and exits 0', () => {
    const r = runCli(['crate', 'bacon', '--as-of', '2024-10-30'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Crates of the week matching "bacon"/);
    expect(r.stdout).toContain('• bacon <');
    expect(r.stdout).toContain('#569 · 2024-10-16');
    expect(r.stdout).toContain('CC-BY-SA 4.0');
  });

  it('prints the Reply as JSON with --json', () => {
    const r = runCli(['events', 'berlin', '--as-of', '2024-10-30', '--json'], env());
    expect(r.code).toBe(0);
    const reply = JSON.parse(r.stdout);
    expect(reply).toMatchObject({ command: 'events', asOf: '2024-10-30', kind: 'answer' });
    expect(reply.sections[0].items).toEqual(expect.arrayContaining([expect.objectContaining({ label: 'Rust and Tell - Title' })]));
    expect(reply.citations[0].number).toBe(571);
  });

  it('finds events by a city named in its own script, as by its Latin name', () => {
    const sections = (place: string) => {
      const r = runCli(['events', place, '--as-of', '2024-10-01', '--json'], env());
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout).sections;
    };
    expect(sections('北京')).toEqual(sections('beijing'));
    expect(sections('北京').flatMap((s: { items: unknown[] }) => s.items).length).toBeGreaterThan(0);
    expect(runCli(['events', '東京', '--as-of', '2024-10-01'], env()).stdout).toContain('(Tokyo, Tôkyô, JP)');
  });

  it('answers `find <message text>` as Find in TWIR does in chat: which links were in TWIR, and when', () => {
    const text = 'see [the post](https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html) and https://example.com/nope, #132706';
    const r = runCli(['find', text, '--as-of', '2024-12-31', '--json'], env());
    expect(r.code).toBe(0);
    const reply = JSON.parse(r.stdout);
    expect(reply).toMatchObject({ command: 'find', kind: 'answer', title: 'Find in TWIR: 2 of the 3 links were in This Week in Rust.' });
    expect(reply.sections.map((s: { label: string }) => s.label)).toEqual([
      'https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html',
      'rust-lang/rust#132706',
      'Never in This Week in Rust',
    ]);
    const plain = runCli(['find', 'async closures are stable', '--as-of', '2024-12-31'], env());
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('so I searched its words');
  });

  it('keeps a quoted shell argument as one value', () => {
    const r = runCli(['search', 'async', '--section', 'Observations/Thoughts', '--as-of', '2024-10-30', '--json'], env());
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).kind).toBe('answer');
  });

  it('exits 0 for "nothing found" and 2 with a one-line message for usage errors', () => {
    expect(runCli(['events', 'atlantis', '--as-of', '2024-10-30'], env()).code).toBe(0);
    const bad = runCli(['evnts'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('error: Unknown command "evnts".');
    expect(bad.stderr).toContain('Did you mean "events"?');
    expect(runCli(['latest', '--as-of', '2024-02-30'], env()).code).toBe(2);
  });

  it('prints a usage error as a JSON Reply on stdout with --json, and takes /twir and flags first', () => {
    const bad = runCli(['frobnicate', '--json'], env());
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ command: null, kind: 'usage-error', title: 'Unknown command "frobnicate".' });
    const prefixed = runCli(['--json', '/twir', 'crate', 'bacon', '--as-of', '2024-10-30'], env());
    expect(prefixed.code).toBe(0);
    expect(JSON.parse(prefixed.stdout)).toMatchObject({ command: 'crate', kind: 'answer' });
  });

  it('reads one command per line from a pipe and exits at end of input', () => {
    const r = runCli([], env(), '/twir latest --as-of 2024-10-30\n# a comment\n\ncrate --as-of 2024-10-16\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('This Week in Rust 571');
    expect(r.stdout).toContain('Crate of the week: bacon');
  });

  it('reports a usage error in a piped line through the exit code, and still answers the rest', () => {
    const r = runCli([], env(), 'nonsense\nlatest --as-of 2024-10-30\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('This Week in Rust 571');
  });

  it('strips terminal control characters from what it prints', () => {
    const r = runCli(['search', '\u001b[31mred', '--as-of', '2024-10-30'], env());
    expect(r.stdout + r.stderr).not.toContain('\u001b');
  });
});
