/**
 * Small pure helpers over the mdast tree that every section extractor shares:
 * the heading tree (sections found by heading text, at any depth), plain text,
 * list items, and links with reference-style definitions resolved.
 */
import type { Definition, Heading, Link, LinkReference, List, ListItem, Nodes, Root, RootContent } from 'mdast';
import { parseChunked } from './chunked-parse.js';
import { decodeEntities, squash } from './text.js';

/**
 * Parses markdown into mdast with remark-parse (CommonMark), chunk by chunk
 * for speed (see chunked-parse.ts).
 */
export function parseMarkdown(markdown: string): Root {
  return parseChunked(markdown);
}

/** One heading and everything under it until the next heading of the same or higher rank. */
export interface Section {
  /** Heading texts from the top section down to this one (empty for the preamble). */
  path: string[];
  /** This heading's plain text ("" for the preamble). */
  heading: string;
  /** Heading rank 1–6; 0 for the preamble before the first heading. */
  depth: number;
  /** Link target of the heading itself (`### [RFCs](https://…)`), if any. */
  headingUrl: string | null;
  /** The heading node itself (absent for the preamble), for headings that are really content. */
  headingNode?: Heading;
  /** Block nodes directly under this heading, before its first subheading. */
  nodes: RootContent[];
  children: Section[];
}

/**
 * Builds the heading tree of a document. Headings that skip ranks (`#` then
 * `###`) nest under the nearest shallower heading, which is how a reader sees them.
 */
export function buildSections(root: Root): Section {
  const top: Section = { path: [], heading: '', depth: 0, headingUrl: null, nodes: [], children: [] };
  const stack: Section[] = [top];
  let firstDepth = 0;
  for (const node of root.children) {
    if (node.type === 'heading') {
      const heading = plainText(node);
      firstDepth ||= node.depth;
      const depth = headingDepth(node.depth, heading, firstDepth, (stack[stack.length - 1] as Section).depth);
      while (stack.length > 1 && (stack[stack.length - 1] as Section).depth >= depth) stack.pop();
      const parent = stack[stack.length - 1] as Section;
      const section: Section = {
        path: [...parent.path, heading],
        heading,
        depth,
        headingUrl: firstLinkUrl(node),
        headingNode: node,
        nodes: [],
        children: [],
      };
      parent.children.push(section);
      stack.push(section);
    } else {
      (stack[stack.length - 1] as Section).nodes.push(node);
    }
  }
  return top;
}

/**
 * The rank a heading is read at, where editors typed the wrong one:
 * - a heading led by a date inside a section (`# 2024-07-02 Triage Log`, pasted from the perf report
 *   under `### Rust Compiler Performance Triage`) belongs to that section, unless it is an event line;
 * - in an issue whose sections are `##`, a `#` heading (`# Calls for Testing`, 2024-09) is one more
 *   section, not the parent of every section after it.
 */
function headingDepth(depth: number, heading: string, firstDepth: number, currentDepth: number): number {
  // An event line written as a heading (`# 2025-07-23 | Place | [Group](…)`) has pipes: the events extractor reads those.
  if (/^\d{4}-\d{2}-\d{2}\b[^|]*$/.test(heading) && currentDepth > 0) return Math.max(depth, currentDepth + 1);
  if (depth === 1 && firstDepth === 2) return 2;
  return depth;
}

/** Lower-cases and reduces a heading to letters, digits and single spaces, for alias matching. */
export function headingKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[’']/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Every section below `from` (not itself), depth first, in document order. */
export function* walkSections(from: Section): Generator<Section> {
  for (const child of from.children) {
    yield child;
    yield* walkSections(child);
  }
}

/**
 * The first section (document order) whose heading matches one of the aliases.
 * A string alias matches the whole heading key; a RegExp is tested against the key.
 */
export function findSection(from: Section, aliases: readonly (string | RegExp)[]): Section | undefined {
  for (const s of walkSections(from)) if (matchesHeading(s.heading, aliases)) return s;
  return undefined;
}

/** All sections matching the aliases, outermost only (a match inside a match is skipped). */
export function findSections(from: Section, aliases: readonly (string | RegExp)[]): Section[] {
  const found: Section[] = [];
  for (const child of from.children) {
    if (matchesHeading(child.heading, aliases)) found.push(child);
    else found.push(...findSections(child, aliases));
  }
  return found;
}

export function matchesHeading(heading: string, aliases: readonly (string | RegExp)[]): boolean {
  const key = headingKey(heading);
  return aliases.some((a) => (typeof a === 'string' ? key === headingKey(a) : a.test(key)));
}

/** The section's own nodes followed by all its subsections' nodes, in document order. */
export function sectionNodes(section: Section): RootContent[] {
  const out = [...section.nodes];
  for (const child of section.children) out.push(...sectionNodes(child));
  return out;
}

/**
 * Plain text of a node: inline code and entities decoded, HTML (comments,
 * tags) dropped, white space squashed.
 */
export function plainText(node: Nodes | Nodes[]): string {
  const parts: string[] = [];
  collectText(node, parts);
  return squash(parts.join(''));
}

function collectText(node: Nodes | Nodes[], out: string[]): void {
  if (Array.isArray(node)) {
    for (const n of node) collectText(n, out);
    return;
  }
  switch (node.type) {
    case 'text':
      out.push(node.value);
      return;
    case 'inlineCode':
    case 'code':
      out.push(decodeEntities(node.value));
      return;
    case 'html':
      // `<br>` and block tags separate words; comments and other tags add nothing.
      if (/^<(br|\/?p|\/?div)\b/i.test(node.value)) out.push(' ');
      return;
    case 'break':
      out.push(' ');
      return;
    case 'image':
      out.push(node.alt ?? '');
      return;
    case 'definition':
      return;
    default:
      if ('children' in node) {
        // Block children are separated by a space; inline children (inside a paragraph) are not.
        const blocky =
          node.type === 'listItem' ||
          node.type === 'list' ||
          node.type === 'blockquote' ||
          node.type === 'root' ||
          node.type === 'table' ||
          node.type === 'tableRow';
        for (const child of node.children as Nodes[]) {
          collectText(child, out);
          if (blocky) out.push(' ');
        }
      }
  }
}

/** Maps reference identifiers to URLs for `[text][id]` and `[id]` links. */
export type Definitions = Map<string, string>;

export function collectDefinitions(root: Root): Definitions {
  const defs: Definitions = new Map();
  const visit = (node: Nodes): void => {
    if (node.type === 'definition') {
      const d = node as Definition;
      // The first definition wins, as in CommonMark.
      if (!defs.has(d.identifier)) defs.set(d.identifier, d.url);
      return;
    }
    if ('children' in node) for (const c of node.children as Nodes[]) visit(c);
  };
  visit(root);
  return defs;
}

/** A link found in inline content, with its URL resolved and its text as plain text. */
export interface FoundLink {
  url: string;
  text: string;
  node: Link | LinkReference;
}

/** Links (inline and resolved references) inside a node, in document order. */
export function findLinks(node: Nodes | Nodes[], defs: Definitions): FoundLink[] {
  const out: FoundLink[] = [];
  const visit = (n: Nodes): void => {
    if (n.type === 'link') {
      out.push({ url: n.url, text: plainText(n), node: n });
      return;
    }
    if (n.type === 'linkReference') {
      const url = defs.get(n.identifier);
      if (url !== undefined) {
        out.push({ url, text: plainText(n), node: n });
        return;
      }
    }
    if ('children' in n) for (const c of n.children as Nodes[]) visit(c);
  };
  if (Array.isArray(node)) for (const n of node) visit(n);
  else visit(node);
  return out;
}

function firstLinkUrl(heading: Heading): string | null {
  for (const c of heading.children) if (c.type === 'link') return c.url;
  return null;
}

/** A list item with the heading path it sits under and its nesting depth (0 = top level). */
export interface FoundItem {
  item: ListItem;
  depth: number;
  /** The enclosing item for nested items. */
  parent: ListItem | null;
}

/** Every list item among the nodes, nested ones included, in document order. */
export function listItems(nodes: readonly RootContent[]): FoundItem[] {
  const out: FoundItem[] = [];
  const visitList = (list: List, depth: number, parent: ListItem | null): void => {
    for (const item of list.children) {
      out.push({ item, depth, parent });
      for (const c of item.children) if (c.type === 'list') visitList(c, depth + 1, item);
    }
  };
  for (const n of nodes) {
    if (n.type === 'list') visitList(n, 0, null);
    else if (n.type === 'blockquote') {
      for (const c of n.children) if (c.type === 'list') visitList(c, 0, null);
    }
  }
  return out;
}

/** The item's own inline content: its paragraphs, without nested lists. */
export function ownContent(item: ListItem): Nodes[] {
  return item.children.filter((c) => c.type !== 'list');
}

/** Paragraph nodes among the nodes (blockquotes looked into), in order. */
export function paragraphs(nodes: readonly RootContent[]): Nodes[] {
  const out: Nodes[] = [];
  for (const n of nodes) {
    if (n.type === 'paragraph') out.push(n);
    else if (n.type === 'blockquote') out.push(...paragraphs(n.children));
  }
  return out;
}
