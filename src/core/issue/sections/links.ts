// TODO(in progress): placeholder until the extractor lands.
import type { ExtractContext } from '../context.js';
import type { LinkItem } from '../types.js';
export function extractLinks(_ctx: ExtractContext): LinkItem[] {
  return [];
}
