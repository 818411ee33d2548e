/**
 * Lines from a byte stream with a bound on their length. readline keeps a
 * whole line in one string however long it gets, so one stdin line of
 * hundreds of MB ends the console with `RangeError: Invalid string length`;
 * here at most `maxBytes` of a line are ever held, and the rest of an
 * overlong line is skipped up to its newline and reported as such.
 */

/** One line of input, or the length of a line refused for being too long. */
export type BoundedLine = { line: string } | { tooLong: number };

/**
 * Splits `input` at `\n` (a trailing `\r` dropped), decoding each line as
 * UTF-8 (a newline byte never occurs inside a multi-byte character, so lines
 * decode on their own). A line over `maxBytes` yields `{ tooLong: bytes }`.
 */
export async function* boundedLines(input: AsyncIterable<Uint8Array | string>, maxBytes: number): AsyncGenerator<BoundedLine> {
  let parts: Buffer[] = [];
  let length = 0;
  let overflow = false;
  const take = (): BoundedLine => {
    const result: BoundedLine = overflow ? { tooLong: length } : { line: Buffer.concat(parts, length).toString('utf8').replace(/\r$/, '') };
    parts = [];
    length = 0;
    overflow = false;
    return result;
  };
  for await (const chunk of input) {
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (;;) {
      const nl = bytes.indexOf(0x0a);
      const piece = nl < 0 ? bytes : bytes.subarray(0, nl);
      length += piece.length;
      // Past the bound the bytes are counted, not kept.
      if (!overflow && length > maxBytes) {
        overflow = true;
        parts = [];
      }
      if (!overflow) parts.push(Buffer.from(piece));
      if (nl < 0) break;
      yield take();
      bytes = bytes.subarray(nl + 1);
    }
  }
  if (length > 0 || overflow) yield take();
}
