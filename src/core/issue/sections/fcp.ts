// TODO(in progress): placeholder until the extractor lands.
import type { ExtractContext } from '../context.js';
import type { FcpItem } from '../types.js';
export function extractFcp(_ctx: ExtractContext): FcpItem[] {
  return [];
}
