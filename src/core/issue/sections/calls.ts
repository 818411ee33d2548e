/**
 * "Calls for Testing" and "Call for Participation" (projects looking for contributors,
 * and, 2023-12+, events looking for speakers).
 */
import type { RootContent } from 'mdast';
import type { ExtractContext } from '../context.js';
import { findSections, plainText, type Section } from '../mdast.js';
import { squash } from '../text.js';
import type { CallForTesting, CfpEvent, CfpProject } from '../types.js';
import { ownSectionNodes, sectionBullets, subsections } from './rfcs.js';

// 2022-05 `### Call for Testing (*New!*)`; 2022–23 `### [Call for Testing](…)`; 2024+ `## Calls for Testing`.
const TESTING = [/^calls? for testing\b/] as const;
// 2016–2023 `# Call for Participation` (exact: the 2024+ "…; projects and speakers" is a parent of the two below).
const PARTICIPATION = ['Call for Participation'] as const;
const CFP_PROJECTS = ['CFP - Projects'] as const;
// 2023-12 to 2024-07 `### CFP - Speakers`, then `### CFP - Events`.
const CFP_EVENTS = ['CFP - Events', 'CFP - Speakers'] as const;

/** A list with the group it sits under: a subheading, or a paragraph that is just a link. */
interface GroupedItems {
  group: string | null;
  nodes: RootContent[];
}

/**
 * Calls for testing, grouped by subheading: 2024+ `### [RFCs](…)`, `### [Rust](…)`,
 * `### [Rustup](…)`, `##### [Cargo](…)`; null when the bullet sits straight under the
 * section heading (2022–23). 2025-10 once wrote the group as a bare link paragraph,
 * `[Cargo](…)`, right above its list; that counts as a subheading too.
 */
export function extractCallsForTesting(ctx: ExtractContext): CallForTesting[] {
  const out: CallForTesting[] = [];
  for (const section of findSections(ctx.sections, TESTING)) {
    for (const { group, nodes } of grouped(section, null)) {
      // Nested bullets are the call's own "Testing steps" / "Tracking Issue" links. Lone link
      // paragraphs are group labels here, not items.
      for (const bullet of sectionBullets(nodes, ctx.defs, false)) out.push({ title: bullet.title, url: bullet.url, group });
    }
  }
  return out;
}

function grouped(section: Section, group: string | null): GroupedItems[] {
  const out: GroupedItems[] = [];
  let pending: string | null = null;
  for (const node of section.nodes) {
    if (node.type === 'paragraph' && node.children.length === 1 && node.children[0]?.type === 'link') {
      pending = plainText(node) || null;
      continue;
    }
    out.push({ group: node.type === 'list' ? (pending ?? group) : group, nodes: [node] });
    pending = null;
  }
  for (const child of subsections(section)) out.push(...grouped(child, squash(child.heading.replace(/[\s,;:.]+$/, '')) || group));
  return out;
}

/**
 * Tasks projects offer to new contributors: 2016–2023 `# Call for Participation`,
 * 2024+ `### CFP - Projects`. Difficulty tags written before the link (`[easy]`,
 * `[less easy]`, `[good first issue]`) are dropped.
 */
export function extractCfpProjects(ctx: ExtractContext): CfpProject[] {
  // 2025 once nested `### CFP - Projects` under a plain `## Call for Participation`: read it once.
  const sections = [...findSections(ctx.sections, PARTICIPATION), ...findSections(ctx.sections, CFP_PROJECTS)];
  const out: CfpProject[] = [];
  for (const section of sections) {
    for (const bullet of sectionBullets(ownSectionNodes(section, [...CFP_PROJECTS, ...CFP_EVENTS, ...TESTING]), ctx.defs)) {
      out.push({ ...splitProject(bullet.title), url: bullet.url });
    }
  }
  return out;
}

/**
 * Splits `project - task`. 2020+ writes `[ockam - Remove None errors …](…)` (also `—`, and
 * once `Hyperswitch (Hacktoberfest)- [Airwallex] …`); 2016–2020 wrote `[rust: Add error
 * explanations …](…)`. The earliest separator wins, so `Hyperswitch - [FEATURE]: …` keeps its
 * colon and `wtx - [HTTP/2] …` its brackets. The project side must look like a name: at most
 * four words before a dash, three before a colon, no sentence end, and not a call to action
 * (`Help wanted: …`, `Call for Papers: …`, `Crate evaluation for 2017-05-16: log`) nor an issue
 * type (`Feature: …`, `RFC: …`).
 */
export function splitProject(text: string): { project: string | null; title: string } {
  const m = /\s*[-–—]\s+|:\s+/.exec(text);
  if (m && m.index > 0) {
    const project = squash(text.slice(0, m.index));
    const title = squash(text.slice(m.index + m[0].length));
    const maxWords = m[0].includes(':') ? 3 : 4;
    const nameLike =
      project.length <= 40 && project.split(' ').length <= maxWords && !/[.!?]$/.test(project) && !NOT_A_PROJECT.test(project);
    if (title !== '' && nameLike) return { project, title };
  }
  return { project: null, title: text };
}

// Calls to action and issue-type prefixes (2021-07 `Feature: Doc template generator`) are not project names.
const NOT_A_PROJECT =
  /^(calls? for|help\b|request for|announcing\b|crate evaluation|new year)|^(feature|feat|proposal|rfc|bug|fr|survey|idea|question|discussion)$/i;

/**
 * Events calling for speakers. The template (2024+) is
 * `* [**event name**](CFP URL)| Date CFP closes in YYYY-MM-DD | city,state,country | Date of event in YYYY-MM-DD`;
 * real lines vary the labels (`Closes 2024-03-31`, `CFP closes …`, `CFP open until …`,
 * `Deadline: 1 December 2024`, `Rolling deadline`, `Event date: …`, `Event on …`, a bare date),
 * sometimes drop the first `|` (`[RustFest Zürich 2024](…) CFP closes 2024-03-31 | …`) and
 * sometimes add `| [Event Page](…)` cells, which are skipped.
 */
export function extractCfpEvents(ctx: ExtractContext): CfpEvent[] {
  const out: CfpEvent[] = [];
  for (const section of findSections(ctx.sections, CFP_EVENTS)) {
    for (const bullet of sectionBullets(ownSectionNodes(section, [...CFP_PROJECTS]), ctx.defs)) {
      const cells = bullet.after
        .split('|')
        .map((c) => squash(c))
        .filter((c) => c !== '' && !/^\[?event (page|website)\]?$/i.test(c));
      out.push({
        // 2026-02 `[**Oxidize Conference](…)`: an unclosed `**` survives as text.
        title: squash(bullet.title.replace(/^\*+|\*+$/g, '')),
        url: bullet.url,
        closes: cells[0] === undefined ? null : firstDate(cells[0]),
        location: cells[1] ?? null,
        eventDate: cells[2] === undefined ? null : firstDate(cells[2]),
        eventEndDate: cells[2] === undefined ? null : endDate(cells[2]),
      });
    }
  }
  return out;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The first date in a cell as ISO: `2024-03-31`, `1 December 2024`, `December 1, 2024`; null for `Rolling deadline`. */
export function firstDate(cell: string): string | null {
  const iso = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/.exec(cell);
  if (iso) return ymd(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dmy = /\b(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]{3,9})\.?,? (\d{4})\b/.exec(cell);
  if (dmy) return ymd(Number(dmy[3]), month(dmy[2] as string), Number(dmy[1]));
  const mdy = /\b([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b/.exec(cell);
  if (mdy) return ymd(Number(mdy[3]), month(mdy[1] as string), Number(mdy[2]));
  return null;
}

/** The end of a range in a cell (`2026-10-14 - 2026-10-17` → 2026-10-17); null for one date. */
export function endDate(cell: string): string | null {
  const all = [...cell.matchAll(/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g)].map((m) => ymd(Number(m[1]), Number(m[2]), Number(m[3])));
  const [first, last] = [all[0], all.at(-1)];
  return all.length > 1 && last && first && last > first ? last : null;
}

function month(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function ymd(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
