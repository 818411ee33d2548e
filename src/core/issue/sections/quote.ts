// TODO(in progress): placeholder until the extractor lands.
import type { ExtractContext } from '../context.js';
import type { QuoteOfWeek } from '../types.js';
export function extractQuoteOfWeek(_ctx: ExtractContext): QuoteOfWeek | null {
  return null;
}
