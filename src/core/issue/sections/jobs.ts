// TODO(in progress): placeholder until the extractor lands.
import type { ExtractContext } from '../context.js';
import type { JobItem } from '../types.js';
export function extractJobs(_ctx: ExtractContext): JobItem[] {
  return [];
}
