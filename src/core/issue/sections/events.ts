/**
 * "Upcoming Events": meetups and conferences listed in each issue since 2014-12.
 *
 * The section's layout changed four times (see `events-line.ts` for the one-line
 * eras and {@link scanEvents} for the 2022+ two-line layout). Region subheadings
 * ("Virtual", "Europe", …) become `region`; events above any subheading have none.
 */
import type { ListItem, Nodes, PhrasingContent, RootContent } from 'mdast';
import type { ExtractContext } from '../context.js';
import { type FoundLink, findLinks, findSections, headingKey, listItems, ownContent, plainText, type Section } from '../mdast.js';
import { isPlaceholderUrl, squash } from '../text.js';
import type { RustEvent } from '../types.js';
import {
  type DatePrefix,
  daysBetween,
  isValidDate,
  parseDatePrefix,
  parseIsoPrefix,
  parseTrailingDate,
  resolveDates,
  toIso,
} from './events-dates.js';
import { type LineFields, looksLikeLocation, NOT_PLACE_WORDS, splitEventLine } from './events-line.js';
import { isVirtualRegion, parseLocation } from './events-location.js';
import { bareUrl, cleanName, containsStrong, hasPlaceholder, strongText } from './events-text.js';

/** Headings of the section across eras: 2014-11/12 "Upcoming Meetups", then "Upcoming Events" at `#` or `##`. */
export const EVENT_HEADINGS: readonly (string | RegExp)[] = [/^upcoming (?:rust )?(?:events|meetups)$/];

/** Events dated further than this before the issue are reported (a stale year in a draft). */
const STALE_DAYS = 183;

/** A list item in the section that looked like content but gave no event, and why. */
export interface SkippedEventLine {
  text: string;
  reason: 'no date' | 'no link' | 'invalid date' | 'no title';
}

export interface EventScan {
  events: RustEvent[];
  skipped: SkippedEventLine[];
  /** The dates the issue's listing covers (see {@link listingWindow}), for year typos. */
  window?: { from: string; to: string };
}

/**
 * Extracts the issue's upcoming events. Never throws on odd lines: a line that
 * cannot be read is skipped, and one info diagnostic per issue lists them.
 */
export function extractEvents(ctx: ExtractContext): RustEvent[] {
  const { events, skipped } = scanEvents(ctx);
  const unreadable = skipped.filter((s) => s.reason !== 'invalid date');
  if (unreadable.length > 0) {
    const sample = unreadable
      .slice(0, 3)
      .map((s) => `${s.reason}: "${s.text.slice(0, 60)}"`)
      .join('; ');
    ctx.diagnostics.push({
      level: 'info',
      message: `events: skipped ${unreadable.length} list item(s) that are not readable events (${sample}${unreadable.length > 3 ? '; …' : ''})`,
      where: 'Upcoming Events',
    });
  }
  return events;
}

/**
 * Reads every event in the section and also returns the items it skipped, so
 * callers (and the archive check) can see what did not parse. Template
 * placeholders and prose paragraphs are ignored silently.
 */
export function scanEvents(ctx: ExtractContext): EventScan {
  const scan: EventScan = { events: [], skipped: [] };
  // Deeper subheadings (none so far) keep the region of the subheading they sit in.
  const visit = (section: Section, region: string | null): void => {
    // Node by node, so events keep document order even when lists and bare lines mix.
    for (const node of section.nodes) {
      for (const line of datedParagraphLines([node], ctx)) readLine(ctx, line, [], region, scan);
      const items = listItems([node])
        .filter((f) => f.depth === 0)
        .map((f) => f.item);
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as ListItem;
        const next = items[i + 1];
        // 2024-07: a title line that lost its indent follows its dated line as a sibling: adopt it.
        const adopted = next && isTitleLine(next, ctx) && isBareIsoLine(item) ? next : null;
        readLine(ctx, ownContent(item), adopted ? [adopted] : nestedItems(item), region, scan);
        if (adopted) i++;
      }
    }
    for (const child of section.children) visit(child, region ?? regionName(child.heading));
  };
  for (const section of findSections(ctx.sections, EVENT_HEADINGS)) {
    scan.window = listingWindow(section, ctx.date);
    visit(section, null);
    const lastChild = section.children.at(-1);
    let region = lastChild && isRegionHeading(lastChild.heading) ? regionName(lastChild.heading) : null;
    // Headings the source got wrong end the section early; read on while they are a region or an event.
    const readStray = (stray: Section): boolean => {
      if (isRegionHeading(stray.heading)) {
        region = regionName(stray.heading);
        visit({ ...stray, children: [] }, region);
      } else if (stray.headingNode && isBareIsoHeading(stray.heading)) {
        // 2025-07-23: `# 2025-07-23 | Place | [Group](url)` with its title line below as a list.
        const titles = listItems(stray.nodes).filter((f) => f.depth === 0);
        readLine(
          ctx,
          stray.headingNode.children,
          titles.map((f) => f.item),
          region,
          scan,
        );
      } else return false;
      for (const child of stray.children) if (!readStray(child)) return false;
      return true;
    };
    for (const stray of sectionsAfter(ctx.sections, section)) if (!readStray(stray)) break;
  }
  return scan;
}

/** `Oceania`, `North America`, `Virtual`: the region subheadings TWIR uses. */
const REGION =
  /^(?:virtual|online|hybrid|africa|asia(?: pacific)?|apac|europe|emea|(?:north|south|central|latin) america|americas|oceania|australia|middle east)\b/;

/** A heading naming a region of the world (or the virtual one). */
function isRegionHeading(heading: string): boolean {
  return REGION.test(headingKey(heading));
}

/** A heading that is really a 2022+ dated event line. */
function isBareIsoHeading(heading: string): boolean {
  return parseIsoPrefix(heading)?.separator === '|';
}

/** Sections at the same or a higher level that follow `section` in the document, in order. */
function sectionsAfter(root: Section, section: Section): Section[] {
  const siblingsAfter = (parent: Section, target: Section): Section[] | null => {
    const i = parent.children.indexOf(target);
    if (i !== -1) return parent.children.slice(i + 1);
    for (const child of parent.children) {
      const found = siblingsAfter(child, target);
      if (found) return [...found, ...parent.children.slice(parent.children.indexOf(child) + 1)];
    }
    return null;
  };
  return siblingsAfter(root, section) ?? [];
}

/** "Oceania:" → "Oceania". */
function regionName(heading: string): string | null {
  const name = squash(heading).replace(/[\s:.-]+$/, '');
  return name === '' ? null : name;
}

/** A 2022+ dated line (`2024-07-17 | … | [Group](url)`) with no nested title line. */
function isBareIsoLine(item: ListItem): boolean {
  const iso = parseIsoPrefix(plainText(ownContent(item)));
  return iso !== null && iso.separator === '|' && nestedItems(item).length === 0;
}

/** An undated item that starts with a bold link: `* [**Title**](url)`. */
function isTitleLine(item: ListItem, ctx: ExtractContext): boolean {
  const own = ownContent(item);
  const first = findLinks(own, ctx.defs)[0];
  return (
    first !== undefined && containsStrong(first.node) && parseDatePrefix(plainText(own)) === null && plainText(own).startsWith(first.text)
  );
}

/**
 * 2015-01-12 wrote the events as bare lines of one paragraph, no bullets:
 * `[January 12 - Seattle Meetup][seattle].` Each line that starts with a link
 * whose text starts with a date is read like a list item; prose is not.
 */
function datedParagraphLines(nodes: readonly RootContent[], ctx: ExtractContext): Nodes[][] {
  const out: Nodes[][] = [];
  for (const node of nodes) {
    if (node.type !== 'paragraph') continue;
    const lines: PhrasingContent[][] = [[]];
    for (const child of node.children) {
      if (child.type !== 'text' || !child.value.includes('\n')) {
        (lines[lines.length - 1] as PhrasingContent[]).push(child);
        continue;
      }
      child.value.split('\n').forEach((piece, i) => {
        if (i > 0) lines.push([]);
        if (piece !== '') (lines[lines.length - 1] as PhrasingContent[]).push({ type: 'text', value: piece });
      });
    }
    for (const line of lines) {
      const first = line[0];
      if (!first || (first.type !== 'link' && first.type !== 'linkReference')) continue;
      const link = findLinks(first, ctx.defs)[0];
      if (link && parseDatePrefix(link.text)) out.push([{ type: 'paragraph', children: line }]);
    }
  }
  return out;
}

/** Reads one event line (a list item's own content) and its title lines, if any. */
function readLine(ctx: ExtractContext, own: Nodes[], nested: ListItem[], region: string | null, scan: EventScan): void {
  const text = plainText(own);
  const allLinks = findLinks(own, ctx.defs);
  if (text === '' || hasPlaceholder(text, allLinks)) return;
  const links = allLinks.filter((l) => !isPlaceholderUrl(l.url));
  const iso = parseIsoPrefix(text);
  // 2022+: `* 2024-10-31 | Virtual (Nürnberg, DE) | [Group](url)` over `* [**Title**](url)` lines.
  if (iso && (iso.separator === '|' || nested.length > 0)) {
    readTwoLineEvent(ctx, scan, iso, { text, links, nested, region });
    return;
  }
  // 2014–2022: the whole event is one link whose text starts with the date; 2014-11 puts the date last.
  const linkDate = links[0] ? parseDatePrefix(links[0].text) : null;
  const date = linkDate ?? parseDatePrefix(text) ?? parseTrailingDate(text);
  if (!date) {
    scan.skipped.push({ text, reason: 'no date' });
    return;
  }
  const url = links[0]?.url ?? bareUrl(text);
  if (!url) {
    scan.skipped.push({ text, reason: 'no link' });
    return;
  }
  const fields = splitEventLine(date, strongText(own));
  if (!fields) {
    scan.skipped.push({ text, reason: 'no title' });
    return;
  }
  const dates = resolveOrReport(ctx, scan, text, date, region);
  if (dates) pushEvent(ctx, scan, dates, fields, region, url, null);
}

/** Direct sub-items of a list item (the 2022+ title lines). */
function nestedItems(item: ListItem): ListItem[] {
  const out: ListItem[] = [];
  for (const child of item.children) if (child.type === 'list') out.push(...child.children);
  return out;
}

/** A dated 2022+ line: its plain text, usable links, title sub-items and region. */
interface DatedLine {
  text: string;
  links: FoundLink[];
  nested: ListItem[];
  region: string | null;
}

/**
 * 2022+: the dated line names location and group(s); each nested line names one
 * event: `* [**Title**](url)`, or several links `[**A**](u1) | [**Mirror: B**](u2)`
 * of which the first is the event. Two nested lines (a conference's two tracks)
 * are two events.
 */
function readTwoLineEvent(ctx: ExtractContext, scan: EventScan, iso: DatePrefix, line: DatedLine): void {
  const { text, links, nested, region } = line;
  // 2022-03: `*[**Title**](url)` without a space after `*` is not a sub-list but part of the line.
  const inlineTitles = nested.length === 0 ? links.filter((l) => containsStrong(l.node)) : [];
  const groupLinks = links.filter((l) => !inlineTitles.includes(l));
  let rest = iso.rest;
  for (const t of inlineTitles) rest = rest.replace(t.text, ' ');
  const parts = rest
    .split('|')
    .map((p) => squash(p))
    .filter((p) => p !== '' && p !== '*');
  let location: string | null = null;
  let groupText: string | null = null;
  if (parts.length >= 2) {
    location = parts[0] as string;
    groupText = parts.slice(1).join(' | ');
  } else if (parts.length === 1) {
    if (groupLinks.length === 0 && looksLikeLocation(parts[0] as string)) location = parts[0] as string;
    else groupText = parts[0] as string;
  }
  const group = groupText === null ? null : cleanName(groupText) || null;
  const groupUrl = groupLinks[0]?.url ?? (groupText ? bareUrl(groupText) : null);
  const fields = (title: string): LineFields => ({ location, group, title, remote: false });

  const titleLines: { text: string; title: string | null; url: string | null }[] = [];
  for (const sub of nested) {
    const subOwn = ownContent(sub);
    const subText = plainText(subOwn);
    const subAll = findLinks(subOwn, ctx.defs);
    if (subText === '' || hasPlaceholder(subText, subAll)) continue;
    titleLines.push({
      text: subText,
      title: cleanName(subAll[0]?.text ?? subText) || null,
      url: subAll.find((l) => !isPlaceholderUrl(l.url))?.url ?? bareUrl(subText),
    });
  }
  for (const t of inlineTitles) titleLines.push({ text: t.text, title: cleanName(t.text) || null, url: t.url });
  // A dated line with no title line at all still names an event: the group's.
  if (titleLines.length === 0 && nested.length === 0 && group) titleLines.push({ text, title: group, url: groupUrl });

  const readable = titleLines.filter((t) => {
    const reason = !t.title ? 'no title' : !(t.url ?? groupUrl) ? 'no link' : null;
    if (reason) scan.skipped.push({ text: `${text} / ${t.text}`, reason });
    return reason === null;
  });
  if (readable.length === 0) return;
  const dates = resolveOrReport(ctx, scan, text, iso, region);
  if (!dates) return;
  for (const line of readable)
    pushEvent(ctx, scan, dates, fields(line.title as string), region, (line.url ?? groupUrl) as string, groupUrl);
}

/** ISO dates for the line, or null after recording the skip and one diagnostic (`Feb 30`). */
function resolveOrReport(
  ctx: ExtractContext,
  scan: EventScan,
  text: string,
  date: DatePrefix,
  region: string | null,
): { date: string; endDate: string | null } | null {
  const dates = resolveDates(date.start, date.end, ctx.date);
  if (dates.ok) {
    if (date.typo) {
      ctx.diagnostics.push({
        level: 'info',
        message: `events: read the misspelt month in "${text.slice(0, 40)}" as ${dates.date}`,
        where: region ?? undefined,
      });
    }
    return date.start.year === null ? dates : fixYearTypo(ctx, scan, text, dates, region);
  }
  scan.skipped.push({ text, reason: 'invalid date' });
  ctx.diagnostics.push({ level: 'warn', message: `events: skipped "${text.slice(0, 80)}": ${dates.reason}`, where: region ?? undefined });
  return null;
}

/** Days of slack around the listing window before a date counts as a year off. */
const WINDOW_SLACK = 21;

/**
 * The dates the listing covers: "Rusty Events between 2024-05-22 - 2024-06-19"
 * (2022+; 2022-01 wrote `1/19/2022 - 2/16/2022`), else the issue date to ten weeks after.
 */
export function listingWindow(section: Section, issueDate: string): { from: string; to: string } {
  const text = plainText(section.nodes);
  const m = /Rusty Events between\s+(\S+)\s*[-–—]\s*(\S+)/i.exec(text);
  const from = m ? looseIsoDate(m[1] as string) : null;
  const to = m ? looseIsoDate(m[2] as string) : null;
  if (from && to && from <= to) return { from, to };
  return { from: issueDate, to: addDays(issueDate, 70) };
}

/** `2024-05-22` or `1/19/2022` as ISO; null otherwise. */
function looseIsoDate(text: string): string | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(text);
  const [y, mo, d] = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : [];
  if (!y || !mo || !d || !isValidDate(Number(y), Number(mo), Number(d))) return null;
  return toIso(Number(y), Number(mo), Number(d));
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A written year off the listing window (`2021-01-27` in the 2022-01-19 issue) moves into the window's year, with a diagnostic. */
function fixYearTypo(
  ctx: ExtractContext,
  scan: EventScan,
  text: string,
  dates: { date: string; endDate: string | null },
  region: string | null,
): { date: string; endDate: string | null } {
  const window = scan.window;
  if (!window) return dates;
  const inWindow = (d: string): boolean => daysBetween(window.from, d) >= -WINDOW_SLACK && daysBetween(d, window.to) >= -WINDOW_SLACK;
  if (inWindow(dates.date)) return dates;
  const shift = (d: string, by: number): string => `${Number(d.slice(0, 4)) + by}${d.slice(4)}`;
  // The window's own years (a listing spans at most two), so `2022-10-03` in a 2024 issue moves too.
  const years = [...new Set([window.from, window.to].map((d) => Number(d.slice(0, 4))))];
  for (const by of years.map((y) => y - Number(dates.date.slice(0, 4)))) {
    const moved = shift(dates.date, by);
    if (!inWindow(moved) || !isValidDate(Number(moved.slice(0, 4)), Number(moved.slice(5, 7)), Number(moved.slice(8, 10)))) continue;
    ctx.diagnostics.push({
      level: 'warn',
      message: `events: "${text.slice(0, 60)}" is dated ${dates.date}, outside the listing (${window.from} – ${window.to}): read as ${moved}`,
      where: region ?? undefined,
    });
    return { date: moved, endDate: dates.endDate ? shift(dates.endDate, by) : null };
  }
  return dates;
}

/** 2015–19 team meetings held in chat: `… Meeting at #rust-docs on irc.mozilla.org`, `… in Discord`, `… on Telegram`. */
const ONLINE_TITLE = /\b(?:irc|discord|telegram|zoom|jitsi|livestream|webinar|online|virtual|remote)\b|\bat #[\w-]+|\brelease triage\b/i;

function pushEvent(
  ctx: ExtractContext,
  scan: EventScan,
  dates: { date: string; endDate: string | null },
  fields: LineFields,
  region: string | null,
  url: string,
  groupUrl: string | null,
): void {
  if (daysBetween(dates.date, ctx.date) > STALE_DAYS) {
    ctx.diagnostics.push({
      level: 'warn',
      message: `events: "${fields.title.slice(0, 60)}" is dated ${dates.date}, more than six months before the issue (${ctx.date}): wrong year?`,
      where: region ?? undefined,
    });
  }
  const location = fields.location ?? (fields.group === null && looksLikePlace(fields.title) ? fields.title : null);
  const place = location ? parseLocation(location) : { city: null, country: null, virtual: false, hybrid: false };
  const event: RustEvent = {
    date: dates.date,
    endDate: dates.endDate,
    region,
    location,
    city: place.city,
    country: place.country,
    virtual: place.virtual || fields.remote || isVirtualRegion(region) || (location === null && ONLINE_TITLE.test(fields.title)),
    hybrid: place.hybrid,
    group: fields.group,
    groupUrl,
    title: fields.title,
    url,
    regions: region ? [region] : [],
  };
  const twin = scan.events.find((e) => e.date === event.date && e.url === event.url && !e.regions.some((r) => event.regions.includes(r)));
  if (twin) mergeListings(twin, event);
  else scan.events.push(event);
}

/**
 * One event listed under two regions (2022+: a hybrid meetup under "Virtual" and
 * "North America") is one event: the in-person listing leads, and being listed
 * online as well makes it hybrid.
 */
function mergeListings(kept: RustEvent, other: RustEvent): void {
  const online = (e: RustEvent): boolean => isVirtualRegion(e.region);
  if (online(kept) && !online(other)) {
    kept.region = other.region;
    kept.location = other.location ?? kept.location;
    kept.city = other.city ?? kept.city;
    kept.country = other.country ?? kept.country;
  }
  kept.hybrid ||= other.hybrid || online(kept) !== online(other) || kept.virtual !== other.virtual;
  kept.virtual ||= other.virtual;
  kept.regions.push(...other.regions.filter((r) => !kept.regions.includes(r)));
}

/** 2015: `[6/8. Seattle](url)`: a line that is only a place name (one to three capitalised words). */
function looksLikePlace(title: string): boolean {
  return /^\p{Lu}[\p{L}.'-]*(?: \p{Lu}[\p{L}.'-]*){0,2}$/u.test(title) && !NOT_PLACE_WORDS.test(title);
}
