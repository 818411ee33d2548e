/**
 * The `fcp [team or words]` filter: a team name or alias keeps that team's
 * groups; otherwise every word must be a whole word of the title (a typo
 * forgiven only in words of five letters or more, so "docs" never matches "does").
 */
import type { FcpItem } from '../issue/types.js';
import { allWordsMatch, wordsOf } from '../search/word-match.js';

/**
 * Short names people use for the teams behind FCP subheadings ("Compiler Team
 * (MCPs only)", "Leadership Council", …), matched against a group's words.
 * The words of the group's own name always match too.
 */
const TEAM_ALIASES: readonly { group: RegExp; aliases: readonly string[] }[] = [
  { group: /\blanguage team\b/i, aliases: ['lang', 't-lang', 'language'] },
  { group: /\blanguage reference\b/i, aliases: ['reference', 'ref', 'spec', 't-spec'] },
  { group: /\bcompiler\b/i, aliases: ['t-compiler', 'mcp', 'mcps', 'rustc'] },
  { group: /\bcargo\b/i, aliases: ['t-cargo'] },
  { group: /\bleadership council\b/i, aliases: ['council', 'leadership'] },
  { group: /\bunsafe code guidelines\b/i, aliases: ['ucg', 'opsem', 't-opsem'] },
  { group: /\brfcs?\b/i, aliases: ['rfc'] },
  { group: /\btracking issues\b/i, aliases: ['tracking'] },
];

/** The items whose team matches `filter`, or else whose title has every word of it. */
export function filterFcp(items: readonly FcpItem[], filter: string): FcpItem[] {
  const wanted = filter.trim().toLowerCase();
  const teams = new Set(items.map((i) => i.group).filter((g) => isTeam(g, wanted)));
  if (teams.size > 0) return items.filter((i) => teams.has(i.group));
  const words = wordsOf(wanted);
  return items.filter((i) => allWordsMatch(words, wordsOf(i.title), true));
}

/** Whether `wanted` (lower case) names the team of `group`: the group's name, its words, or an alias. */
function isTeam(group: string, wanted: string): boolean {
  if (group.toLowerCase() === wanted) return true;
  const words = wordsOf(wanted);
  if (allWordsMatch(words, wordsOf(group.replace(/\(.*?\)/g, '')), false)) return true;
  // "lang team", "lang-team", "t-lang team": an alias followed by the word "team" is that alias.
  const bare = wanted.replace(/[\s_-]+team$/, '').trim();
  return TEAM_ALIASES.some((t) => t.group.test(group) && (t.aliases.includes(wanted) || t.aliases.includes(bare)));
}
