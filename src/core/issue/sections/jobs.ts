/**
 * "Rust Jobs" / "Jobs": job postings (2017–2022) and, since mid-2022, the one link to r/rust's
 * "Who's Hiring" thread that replaced them.
 *
 * Formats by era:
 * - 2015-07 to 2017-01: the section is headed `# fn work(on: RustProject) -> Money`, bullets as below;
 * - 2017–21: `* [Rust Engineer at MaidSafe](url).` — the title says where; sometimes the company
 *   follows the link (`* [Postdoc positions for RustBelt project](url) at MPI-SWS.`);
 * - 2021–22: a `**Company**` line, then `* [Senior Rust Engineer (London / Remote)](url)` per opening;
 * - 2022–: `Please see the latest [Who's Hiring thread on r/rust](url)`, after a template comment.
 * "Tweet us at [@ThisWeekInRust] …", "*No jobs listed for this week.*" and template comments
 * (`<!-- … -->`, `INSERT_LINK_HERE`) never yield items.
 */
import type { ListItem, Paragraph } from 'mdast';
import type { ExtractContext } from '../context.js';
import { type Definitions, findSections, ownContent, plainText, sectionNodes } from '../mdast.js';
import { isPlaceholderText, isPlaceholderUrl, squash } from '../text.js';
import type { JobItem } from '../types.js';
import { type InlineLink, inlineText } from './crates.js';

// 2015-07 to 2017-01 (76 issues): `# fn work(on: RustProject) -> Money`, keyed "fn work on rustproject money".
const JOB_HEADINGS = ['rust jobs', 'jobs', /^fn work on rustproject money$/];

/**
 * Extracts job postings, one per bullet. A posting under a `**Company**` line is titled
 * "Title at Company" so it reads like the earlier "Rust Engineer at MaidSafe" items; the
 * Who's Hiring era yields the thread link itself, titled by its link text.
 */
export function extractJobs(ctx: ExtractContext): JobItem[] {
  const out: JobItem[] = [];
  const seen = new Set<string>();
  const add = (job: JobItem | null): void => {
    if (!job || seen.has(`${job.url}\n${job.title}`)) return;
    seen.add(`${job.url}\n${job.title}`);
    out.push(job);
  };
  for (const section of findSections(ctx.sections, JOB_HEADINGS)) {
    let company: string | null = null;
    for (const node of sectionNodes(section)) {
      if (node.type === 'list') {
        for (const item of node.children) add(jobFromItem(item, company, ctx.defs));
      } else if (node.type === 'paragraph') {
        const header = companyHeader(node);
        if (header !== null) company = header;
        else for (const job of jobsFromParagraph(node, ctx.defs)) add(job);
      }
    }
  }
  return out;
}

/** 2021–22: `**Kraken**` alone on a line (once, in 2021, without the bold) names the company for the bullets below. */
function companyHeader(node: Paragraph): string | null {
  if (node.children.some((c) => c.type === 'link' || c.type === 'linkReference')) return null;
  const text = plainText(node);
  if (text === '' || text.length > 60 || /^no jobs\b/i.test(text) || isPlaceholderText(text)) return null;
  return text.replace(/[:.]$/, '');
}

function jobFromItem(item: ListItem, company: string | null, defs: Definitions): JobItem | null {
  const { text, links } = inlineText(ownContent(item), defs);
  const link = links.find((l) => isJobLink(l));
  if (!link) return null;
  let title: string;
  if (text.slice(0, link.start).trim() === '') {
    title = link.text;
    // 2017: "[Postdoc positions for RustBelt project](…) at MPI-SWS."
    const at = /^\s+at\s+([^.;]+)/.exec(text.slice(link.end));
    if (at) title += ` at ${squash(at[1] as string)}`;
  } else {
    // 2020: "Software Engineer, Engineering Ops ([London, UK](…), [Milan, IT](…))" — the links are locations.
    title = squash(text).replace(/[\s.]+$/, '');
  }
  if (company && !title.toLowerCase().includes(company.toLowerCase())) title += ` at ${company}`;
  return title === '' ? null : { title, url: link.url };
}

/**
 * Links in a plain paragraph: the Who's Hiring thread (2022–), and the odd posting written
 * without a bullet. The "[this GitHub issue]" explaining the change and "Tweet us" are not jobs.
 */
function jobsFromParagraph(node: Paragraph, defs: Definitions): JobItem[] {
  const { text, links } = inlineText(node.children, defs);
  if (/^\s*tweet us\b/i.test(text)) return [];
  return links.filter((l) => isJobLink(l) && !/this-week-in-rust\/issues\//i.test(l.url)).map((l) => ({ title: l.text, url: l.url }));
}

function isJobLink(link: InlineLink): boolean {
  if (isPlaceholderUrl(link.url) || link.text.trim() === '') return false;
  return !/^https?:\/\/(www\.)?twitter\.com\/ThisWeekInRust\/?$/i.test(link.url.trim());
}
