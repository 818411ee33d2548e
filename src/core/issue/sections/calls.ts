// TODO(in progress): placeholder until the extractor lands.
import type { ExtractContext } from '../context.js';
import type { CallForTesting, CfpEvent, CfpProject } from '../types.js';
export function extractCallsForTesting(_ctx: ExtractContext): CallForTesting[] {
  return [];
}
export function extractCfpProjects(_ctx: ExtractContext): CfpProject[] {
  return [];
}
export function extractCfpEvents(_ctx: ExtractContext): CfpEvent[] {
  return [];
}
