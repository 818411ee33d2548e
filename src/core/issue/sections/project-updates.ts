// TODO(in progress): placeholder until the extractor lands.
import type { ExtractContext } from '../context.js';
import type { PerfTriage } from '../types.js';
export function extractMergedPrCount(_ctx: ExtractContext): number | null {
  return null;
}
export function extractPerfTriage(_ctx: ExtractContext): PerfTriage | null {
  return null;
}
