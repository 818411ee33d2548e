/**
 * "Upcoming Events": meetups and conferences listed in each issue since 2014-12.
 *
 * The section's layout changed four times (see `events-line.ts` for the one-line
 * eras and {@link scanEvents} for the 2022+ two-line layout). Region subheadings
 * ("Virtual", "Europe", …) become `region`; events above any subheading have none.
 */
import type { ListItem, Nodes, PhrasingContent, RootContent } from 'mdast';
import type { ExtractContext } from '../context.js';
import { type FoundLink, findLinks, findSections, listItems, ownContent, plainText, type Section } from '../mdast.js';
import { isPlaceholderUrl, squash } from '../text.js';
import type { RustEvent } from '../types.js';
import { type DatePrefix, daysBetween, parseDatePrefix, parseIsoPrefix, parseTrailingDate, resolveDates } from './events-dates.js';
import { type LineFields, looksLikeLocation, splitEventLine } from './events-line.js';
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
}

/**
 * Extracts the upcoming events. Never throws on odd lines: a line that
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
  for (const section of findSections(ctx.sections, EVENT_HEADINGS)) visit(section, null);
  return scan;
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
  if (dates.ok) return dates;
  scan.skipped.push({ text, reason: 'invalid date' });
  ctx.diagnostics.push({ level: 'warn', message: `events: skipped "${text.slice(0, 80)}": ${dates.reason}`, where: region ?? undefined });
  return null;
}

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
  scan.events.push({
    date: dates.date,
    endDate: dates.endDate,
    region,
    location,
    city: place.city,
    country: place.country,
    virtual: place.virtual || fields.remote || isVirtualRegion(region),
    hybrid: place.hybrid,
    group: fields.group,
    groupUrl,
    title: fields.title,
    url,
  });
}

const NOT_PLACE_WORDS =
  /\b(?:rust\w*|meetup|meeting|group|society|hack\w*|learn\w*|night|workshop|conf\w*|fest|camp|team|triage|study|users?|talks?|dojo|lab|day|sprint|club|the|of|at|and|for|with|online|virtual|remote|webinar|release|fosdem)\b|[#:@&/(]|\d/i;

/** 2015: `[6/8. Seattle](url)`: a line that is only a place name (one to three capitalised words). */
function looksLikePlace(title: string): boolean {
  return /^\p{Lu}[\p{L}.'-]*(?: \p{Lu}[\p{L}.'-]*){0,2}$/u.test(title) && !NOT_PLACE_WORDS.test(title);
}
