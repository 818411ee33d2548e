// TODO(in progress): placeholder until the extractor lands.
import type { ExtractContext } from '../context.js';
import type { RfcItem } from '../types.js';
export function extractApprovedRfcs(_ctx: ExtractContext): RfcItem[] {
  return [];
}
export function extractNewRfcs(_ctx: ExtractContext): RfcItem[] {
  return [];
}
