/** Digests built from real archive issues, for renderer and poster tests. */
import type { Archive } from '../../src/core/archive/archive.js';
import type { Issue } from '../../src/core/issue/types.js';
import { buildDigest, type Digest } from '../../src/digest/build-digest.js';
import type { DigestStore } from '../../src/digest/digest-store.js';
import { type FanOutReport, runFanOut } from '../../src/digest/fan-out.js';
import { createDigestLimiter } from '../../src/digest/limiter.js';
import { archiveEventsAt } from '../../src/digest/place-filter.js';
import type { DigestPoster } from '../../src/digest/poster.js';
import { DIGEST_SECTIONS, type DigestSettings } from '../../src/digest/settings.js';
import type { DigestPlatform } from '../../src/digest/types.js';
import { archiveStore } from './archive-store.js';

/** The stored issue with this number from the whole-archive store. */
export function archiveIssue(number: number): Issue {
  const archive = archiveStore();
  const ref = archive.byNumber(number);
  if (!ref) throw new Error(`#${number} is not in the archive`);
  return archive.load(ref);
}

/** Every section of #571, as of its date. */
export function sampleDigest(overrides: Partial<DigestSettings> = {}): Digest {
  return buildDigest(
    archiveIssue(571),
    { sections: [...DIGEST_SECTIONS], place: null, when: { kind: 'new' }, ...overrides },
    { asOf: '2024-10-30' },
  );
}

/** A no-op logger that keeps what it was told (assert on warnings and errors). */
export function memoryLog(): {
  debug(m: string): void;
  info(m: string): void;
  warn(m: string): void;
  error(m: string): void;
  lines: string[];
} {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}

/** One fan-out of whatever is due, with default limits, issues (and places) from `archive`, at `now`. */
export function deliverDue(
  store: DigestStore,
  archive: Archive,
  posters: Partial<Record<DigestPlatform, DigestPoster>>,
  now: () => Date = () => new Date(),
): Promise<FanOutReport> {
  return runFanOut({
    store,
    posters,
    limiter: createDigestLimiter(),
    loadIssue: (n) => {
      const ref = archive.byNumber(n);
      return ref ? archive.load(ref) : undefined;
    },
    eventsAt: archiveEventsAt(archive),
    now,
    log: memoryLog(),
  });
}
