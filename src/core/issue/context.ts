/**
 * What every section extractor receives: the parsed tree, its heading tree,
 * resolved link definitions, the issue date (for year inference) and a sink
 * for diagnostics. Extractors are pure functions of this context.
 */
import type { Root } from 'mdast';
import { buildSections, collectDefinitions, type Definitions, parseMarkdown, type Section } from './mdast.js';
import type { Diagnostic } from './types.js';

export interface ExtractContext {
  root: Root;
  sections: Section;
  defs: Definitions;
  /** The publication date, ISO `YYYY-MM-DD`. */
  date: string;
  diagnostics: Diagnostic[];
}

/** Parses markdown and builds the context the extractors share (the one place that wires it up). */
export function createExtractContext(markdown: string, date: string, diagnostics: Diagnostic[] = []): ExtractContext {
  const root = parseMarkdown(markdown);
  return { root, sections: buildSections(root), defs: collectDefinitions(root), date, diagnostics };
}
