/**
 * `parseIssue`: one TWIR markdown file → a typed Issue.
 *
 * Never throws: each section extractor runs on its own, and whatever fails is
 * reported in `diagnostics` while the rest of the issue is still returned.
 */
import { createExtractContext, type ExtractContext } from './context.js';
import { issueDate, issueNumber, issueUrl, splitFrontMatter } from './front-matter.js';
import { extractCallsForTesting, extractCfpEvents, extractCfpProjects } from './sections/calls.js';
import { extractCratesOfWeek } from './sections/crates.js';
import { extractEvents } from './sections/events.js';
import { extractFcp } from './sections/fcp.js';
import { extractJobs } from './sections/jobs.js';
import { extractLinks } from './sections/links.js';
import { extractMergedPrCount, extractPerfTriage } from './sections/project-updates.js';
import { extractQuoteOfWeek } from './sections/quote.js';
import { extractApprovedRfcs, extractNewRfcs } from './sections/rfcs.js';
import { repairMojibake } from './text.js';
import type { Diagnostic, Issue, IssueMeta } from './types.js';

/** Files far beyond any real issue (the largest is ~40 KB) are not parsed as markdown. */
export const MAX_ISSUE_CHARS = 1_000_000;

export interface ParseMeta {
  /** File name, used for the date when the header has none. */
  file: string;
}

/** Parses one issue file's text (header lines + markdown body). */
export function parseIssue(markdown: string, meta: ParseMeta): Issue {
  const diagnostics: Diagnostic[] = [];
  const normalized = markdown.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
  const text = repairMojibake(normalized);
  if (text !== normalized) {
    diagnostics.push({ level: 'info', message: 'repaired mojibake (UTF-8 read as Windows-1252)' });
  }
  const { fields, body } = splitFrontMatter(text);
  const date = issueDate(fields, meta.file);
  if (!date) diagnostics.push({ level: 'warn', fatal: 'no-date', message: 'no Date: header and no date in the file name' });
  const title = fields.title || meta.file.replace(/\.(md|markdown)$/, '');
  const issue = emptyIssue(
    { number: issueNumber(fields), date: date ?? '', title, url: date ? issueUrl(date, title) : '', file: meta.file },
    diagnostics,
  );
  if (body.length > MAX_ISSUE_CHARS) {
    diagnostics.push({
      level: 'warn',
      fatal: 'too-large',
      message: `body is ${body.length} characters, over the ${MAX_ISSUE_CHARS} limit: not parsed`,
    });
    return issue;
  }
  let ctx: ExtractContext;
  try {
    ctx = createExtractContext(body, issue.date || '1970-01-01', diagnostics);
  } catch (err) {
    diagnostics.push({ level: 'warn', fatal: 'unparsable', message: `markdown could not be parsed: ${describe(err)}` });
    return issue;
  }
  const run = <T>(name: string, extract: (c: ExtractContext) => T, fallback: T): T => {
    try {
      return extract(ctx);
    } catch (err) {
      diagnostics.push({ level: 'warn', message: `${name}: ${describe(err)}` });
      return fallback;
    }
  };
  issue.links = run('links', extractLinks, []);
  issue.cratesOfWeek = run('crate of the week', extractCratesOfWeek, []);
  issue.quoteOfWeek = run('quote of the week', extractQuoteOfWeek, null);
  issue.fcp = run('final comment period', extractFcp, []);
  issue.approvedRfcs = run('approved RFCs', extractApprovedRfcs, []);
  issue.newRfcs = run('new RFCs', extractNewRfcs, []);
  issue.callsForTesting = run('calls for testing', extractCallsForTesting, []);
  issue.cfpProjects = run('CFP projects', extractCfpProjects, []);
  issue.cfpEvents = run('CFP events', extractCfpEvents, []);
  issue.events = run('events', extractEvents, []);
  issue.jobs = run('jobs', extractJobs, []);
  issue.mergedPrCount = run('merged PR count', extractMergedPrCount, null);
  issue.perfTriage = run('perf triage', extractPerfTriage, null);
  return issue;
}

/** An issue with its meta and no records: what parsing starts from (and a handy test fixture). */
export function emptyIssue(meta: IssueMeta, diagnostics: Diagnostic[] = []): Issue {
  return {
    ...meta,
    links: [],
    cratesOfWeek: [],
    quoteOfWeek: null,
    fcp: [],
    approvedRfcs: [],
    newRfcs: [],
    callsForTesting: [],
    cfpProjects: [],
    cfpEvents: [],
    events: [],
    jobs: [],
    mergedPrCount: null,
    perfTriage: null,
    diagnostics,
  };
}

function describe(err: unknown): string {
  if (err instanceof RangeError) return 'nesting too deep';
  return err instanceof Error ? err.message : String(err);
}
