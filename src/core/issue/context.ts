/**
 * What every section extractor receives: the parsed tree, its heading tree,
 * resolved link definitions, the issue date (for year inference) and a sink
 * for diagnostics. Extractors are pure functions of this context.
 */
import type { Root } from 'mdast';
import type { Definitions, Section } from './mdast.js';
import type { Diagnostic } from './types.js';

export interface ExtractContext {
  root: Root;
  sections: Section;
  defs: Definitions;
  /** The publication date, ISO `YYYY-MM-DD`. */
  date: string;
  diagnostics: Diagnostic[];
}
