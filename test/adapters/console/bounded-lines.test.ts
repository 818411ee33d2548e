import { describe, expect, it } from 'vitest';
import { boundedLines } from '../../../src/adapters/console/bounded-lines.js';

async function all(input: AsyncIterable<Uint8Array | string>, max: number) {
  const out = [];
  for await (const l of boundedLines(input, max)) out.push(l);
  return out;
}

async function* chunks(...parts: (string | Uint8Array)[]) {
  for (const p of parts) yield typeof p === 'string' ? new TextEncoder().encode(p) : p;
}

describe('bounded lines', () => {
  it('splits lines across chunks, drops \\r, keeps a last line without newline', async () => {
    expect(await all(chunks('lat', 'est\r\ncrate ba', 'con\n\nhelp'), 100)).toEqual([
      { line: 'latest' },
      { line: 'crate bacon' },
      { line: '' },
      { line: 'help' },
    ]);
  });

  it('decodes a multi-byte character split between chunks', async () => {
    const bytes = new TextEncoder().encode('events zürich 🦀\n');
    expect(await all(chunks(bytes.subarray(0, 9), bytes.subarray(9, 17), bytes.subarray(17)), 100)).toEqual([{ line: 'events zürich 🦀' }]);
  });

  it('refuses a 300 MB line without holding it, then reads the next line', async () => {
    const mb = new Uint8Array(1 << 20).fill(0x61);
    async function* huge() {
      yield new TextEncoder().encode('latest\n');
      for (let i = 0; i < 300; i++) yield mb;
      yield new TextEncoder().encode('\nhelp\n');
    }
    const before = process.memoryUsage().arrayBuffers;
    const lines = await all(huge(), 8000);
    expect(lines).toEqual([{ line: 'latest' }, { tooLong: 300 << 20 }, { line: 'help' }]);
    // Nothing near 300 MB was ever kept.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
  });

  it('accepts a line of exactly the bound and refuses one byte more', async () => {
    expect(await all(chunks(`${'a'.repeat(10)}\n${'b'.repeat(11)}\n`), 10)).toEqual([{ line: 'a'.repeat(10) }, { tooLong: 11 }]);
  });
});
