/**
 * After each sync: which stored issues are new and published, announced once
 * each with their deliveries planned in the same transaction. "New" means a
 * number higher than every number announced before, so an edit or a
 * re-publication of an announced issue (same number) never posts again, and
 * a draft never advances the mark (its final still posts later).
 */
import type { Issue } from '../core/issue/types.js';
import type { IssueStore } from '../core/store/store.js';
import type { Logger } from '../logger.js';
import type { DigestStore } from './digest-store.js';
import { draftVerdict, PLACEHOLDER_GRACE_MS } from './draft-markers.js';
import { planDeliveries } from './plan.js';

export interface DetectOptions {
  issues: Pick<IssueStore, 'summaries' | 'issueByFile' | 'getState' | 'setState'>;
  digest: DigestStore;
  /** The issue's markdown as the source has it (draft markers are not in the parsed Issue); undefined if unreadable. */
  readMarkdown(file: string): Promise<string | undefined>;
  /** False when syncing from a drafts folder: nothing is announced. */
  publishedFolder: boolean;
  now: () => Date;
  log: Logger;
}

/** An issue announced by this detection run. */
export interface Announced {
  number: number;
  file: string;
  deliveries: number;
}

const SEEN_KEY = 'digest:placeholder-seen:';

/** Announces every new published issue; returns what it announced (usually nothing, sometimes one). */
export async function detectNewIssues(o: DetectOptions): Promise<Announced[]> {
  if (!o.publishedFolder) return [];
  const numbered = o.issues.summaries().filter((s): s is typeof s & { number: number } => s.number !== null);
  if (numbered.length === 0) return [];
  numbered.sort((a, b) => a.number - b.number);
  const mark = await o.digest.highestAnnounced();
  if (mark === null) {
    // First run on this store: the archive is not news. The newest issue that is not a draft is the
    // baseline (a missing Reddit link does not matter for history).
    for (const s of [...numbered].reverse()) {
      if ((await judge(o, s.file, true)).ready) {
        await o.digest.setBaseline(s.number);
        o.log.info(`digest: starting after #${s.number}; later issues will be posted to subscribed channels.`);
        return [];
      }
    }
    return [];
  }
  const announced: Announced[] = [];
  for (const s of numbered.filter((n) => n.number > mark)) {
    const verdict = await judge(o, s.file);
    if (!verdict.ready) {
      o.log.info(`digest: #${s.number} (${s.file}) is not published yet: ${verdict.why}.`);
      continue;
    }
    const now = o.now();
    const plan = planDeliveries({ number: s.number }, await o.digest.subscriptions(), now);
    if (await o.digest.announce({ number: s.number, file: s.file }, plan, now)) {
      announced.push({ number: s.number, file: s.file, deliveries: plan.length });
      o.log.info(`digest: #${s.number} published; ${plan.length} deliver${plan.length === 1 ? 'y' : 'ies'} planned.`);
    }
  }
  return announced;
}

async function judge(o: DetectOptions, file: string, history = false): Promise<{ ready: true } | { ready: false; why: string }> {
  const issue: Issue | undefined = o.issues.issueByFile(file);
  if (!issue) return { ready: false, why: 'no longer stored' };
  const markdown = await o.readMarkdown(file);
  if (markdown === undefined) return { ready: false, why: 'its markdown could not be read' };
  const { hold, wait } = draftVerdict(markdown, issue);
  if (hold.length) return { ready: false, why: hold.join('; ') };
  if (wait.length === 0 || history) return { ready: true };
  // Placeholder links only: wait for the editors, but not for ever (see PLACEHOLDER_GRACE_MS).
  const key = SEEN_KEY + file;
  const seen = o.issues.getState(key);
  const now = o.now();
  if (!seen) o.issues.setState(key, now.toISOString());
  const since = seen ? Date.parse(seen) : now.getTime();
  if (now.getTime() - since >= PLACEHOLDER_GRACE_MS) return { ready: true };
  return { ready: false, why: `${wait.join(', ')} (posted anyway ${Math.round(PLACEHOLDER_GRACE_MS / 3_600_000)} h after first seen)` };
}
