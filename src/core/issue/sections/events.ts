// TODO(in progress): placeholder until the extractor lands.
import type { ExtractContext } from '../context.js';
import type { RustEvent } from '../types.js';
export function extractEvents(_ctx: ExtractContext): RustEvent[] {
  return [];
}
