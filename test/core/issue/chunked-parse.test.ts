import type { Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { describe, expect, it } from 'vitest';
import { parseChunked, splitAtHeadings } from '../../../src/core/issue/chunked-parse.js';

/** The tree without positions and definitions (chunks carry copies of the definitions they use). */
function shape(node: Nodes): unknown {
  const { position: _p, ...rest } = node as Nodes & { position?: unknown };
  if ('children' in rest) return { ...rest, children: (rest.children as Nodes[]).filter((c) => c.type !== 'definition').map(shape) };
  return rest;
}

const doc = `Intro with a [reference][merged] link.

## Section one
* [a](https://a.test/)
* [b][bref]

\`\`\`
# not a heading: inside a fence
\`\`\`

<!--
# not a heading: inside a comment
-->

### Sub
${Array.from({ length: 95 }, (_, i) => `* [item ${i}](https://i.test/${i})`).join('\n')}

## Section two
Text [merged] and [bref].

[merged]: https://merged.test/
[bref]: https://b.test/
`;

describe('chunked parsing', () => {
  it('splits before headings and inside long lists, never inside fences or comments', () => {
    const { chunks, definitions } = splitAtHeadings(doc);
    expect(chunks.map((c) => c.split('\n')[0])).toEqual([
      'Intro with a [reference][merged] link.',
      '## Section one',
      '### Sub',
      '* [item 40](https://i.test/40)',
      '* [item 80](https://i.test/80)',
      '## Section two',
    ]);
    expect(definitions.map((d) => d.label)).toEqual(['merged', 'bref']);
  });

  it('gives the same tree as parsing the whole document, references resolved across chunks', () => {
    const whole = fromMarkdown(doc);
    const chunked = parseChunked(doc);
    // Long lists come back as consecutive lists; merge them before comparing.
    const merge = (root: Nodes) => {
      const out: Nodes[] = [];
      for (const c of (root as { children: Nodes[] }).children) {
        const prev = out.at(-1);
        if (prev?.type === 'list' && c.type === 'list') prev.children.push(...c.children);
        else out.push(structuredClone(c));
      }
      return { type: 'root', children: out } as Nodes;
    };
    expect(shape(merge(chunked))).toEqual(shape(merge(whole)));
    // The references in chunks without the definitions still resolved (linkReference, not text).
    expect(JSON.stringify(chunked).match(/"linkReference"/g)).toHaveLength(4);
  });

  it('parses a document with no headings in one piece', () => {
    expect(splitAtHeadings('just text\n').chunks).toHaveLength(1);
  });
});
