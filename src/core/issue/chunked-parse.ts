/**
 * Parses markdown one top-level chunk at a time (split before each ATX
 * heading at column 0, and inside long lists before a column-0 bullet), then
 * joins the trees.
 *
 * Why: micromark's cost grows faster than the document (its event arrays are
 * spliced and sub-tokenized as a whole), and a TWIR issue is long. Parsing
 * heading-sized chunks gives the same tree ~30% faster on the archive, which
 * is what keeps a full ingest near its time budget. A heading at column 0
 * and a column-0 bullet always starts a new list item in CommonMark, so
 * splitting there changes nothing we read (a long list becomes two lists),
 * except inside fenced code and HTML comments, where we never split.
 * Reference-style links need their definitions, which may sit in another
 * chunk: a chunk gets the definition lines of the labels it mentions.
 */
import type { Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

/** remark's parser, frozen once: `parse` is then micromark + mdast-util-from-markdown, no plugins run. */
const remark = unified().use(remarkParse).freeze();

function fromMarkdown(markdown: string): Root {
  return remark.parse(markdown) as Root;
}

const HEADING = /^#{1,6}(?:[ \t]|$)/;
/** A bullet at column 0 always starts a list item, so a long list can be cut before one. */
const BULLET = /^[*+-][ \t]/;
/** Bullets per chunk before a long list (a week's merged PRs) is cut. */
const MAX_ITEMS = 40;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const COMMENT_START = /^ {0,3}<!--/;
const DEFINITION = /^ {0,3}\[((?:[^\]\\\n]|\\.){1,999})\]:[ \t]*\S/;

/** A definition line and the lower-cased label it defines (for a cheap "is it referenced here?" test). */
interface DefinitionLine {
  line: string;
  label: string;
}

/** Line-level split points, respecting fenced code and HTML comments. */
export function splitAtHeadings(markdown: string): { chunks: string[]; definitions: DefinitionLine[] } {
  const lines = markdown.split('\n');
  const chunks: string[] = [];
  const definitions: DefinitionLine[] = [];
  let start = 0;
  let fence: string | null = null;
  let inComment = false;
  let items = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (fence) {
      const close = FENCE.exec(line);
      if (close && (close[1] as string)[0] === fence[0] && (close[1] as string).length >= fence.length && line.trim() === close[1])
        fence = null;
      continue;
    }
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      continue;
    }
    if (COMMENT_START.test(line)) {
      inComment = !line.slice(line.indexOf('<!--') + 4).includes('-->');
      continue;
    }
    const open = FENCE.exec(line);
    if (open) {
      fence = open[1] as string;
      continue;
    }
    const def = DEFINITION.exec(line);
    if (def) definitions.push({ line, label: (def[1] as string).toLowerCase() });
    const bullet = BULLET.test(line);
    if (bullet) items++;
    if (i > start && (HEADING.test(line) || (bullet && items > MAX_ITEMS))) {
      chunks.push(lines.slice(start, i).join('\n'));
      start = i;
      items = bullet ? 1 : 0;
    }
  }
  chunks.push(lines.slice(start).join('\n'));
  return { chunks, definitions };
}

/** Same tree as remark-parse on the whole document (positions aside), built chunk by chunk. */
export function parseChunked(markdown: string): Root {
  const { chunks, definitions } = splitAtHeadings(markdown);
  if (chunks.length === 1) return fromMarkdown(markdown);
  const root: Root = { type: 'root', children: [] };
  for (const chunk of chunks) {
    // Only the definitions this chunk mentions: parsing every definition into every chunk
    // costs more than the chunking saves.
    const lower = chunk.toLowerCase();
    const needed = definitions.filter((d) => lower.includes(`[${d.label}]`) && !chunk.includes(d.line));
    const text = needed.length ? `${chunk}\n\n${needed.map((d) => d.line).join('\n')}\n` : chunk;
    root.children.push(...fromMarkdown(text).children);
  }
  return root;
}
