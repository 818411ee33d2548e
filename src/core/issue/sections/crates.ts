// TODO(in progress): placeholder until the extractor lands.
import type { ExtractContext } from '../context.js';
import type { CrateOfWeek } from '../types.js';
export function extractCratesOfWeek(_ctx: ExtractContext): CrateOfWeek[] {
  return [];
}
