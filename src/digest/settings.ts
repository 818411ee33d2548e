/**
 * What a channel asked for: which sections, which place's events, and when.
 * Parsing is pure and returns a result with an error message (never throws),
 * so `/twir subscribe` can explain a typo instead of failing.
 */

/** Every section a digest can carry, in the order a digest shows them. */
export const DIGEST_SECTIONS = ['headline', 'crate', 'quote', 'links', 'events', 'fcp', 'rfcs', 'cft', 'cfp', 'perf'] as const;

export type DigestSectionKey = (typeof DIGEST_SECTIONS)[number];

/** The sections a subscription gets when it names none. */
export const DEFAULT_SECTIONS: readonly DigestSectionKey[] = ['headline', 'crate', 'quote', 'links', 'events'];

/** When a channel gets a new issue: as soon as it is published, or at a weekly local time. */
export type DigestWhen = { kind: 'new' } | { kind: 'weekly'; day: Weekday; hour: number; minute: number; zone: string };

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A subscription's settings as stored and shown. */
export interface DigestSettings {
  sections: DigestSectionKey[];
  /** Keep only events there (as `/twir events <place>`); null = all events. */
  place: string | null;
  when: DigestWhen;
  /** Discord: the one role each digest mentions (opt-in); absent = no mention. */
  pingRole?: string;
  /** Discord announcement channel: publish (crosspost) each digest to the servers following it. */
  publish?: boolean;
}

/**
 * `ping:` — a Discord role id, typed or picked (`123…`, `<@&123…>`). The server's @everyone role (its id is
 * the server's id) is refused: a digest never pings everyone.
 */
export function parsePingRole(text: string | undefined, guildId: string): Parsed<string | undefined> {
  const raw = text?.trim();
  if (!raw) return { ok: true, value: undefined };
  const id = /^(?:<@&)?(\d{15,21})>?$/.exec(raw)?.[1];
  if (!id) return { ok: false, error: `ping: expects a role (pick one, or type <@&role id>), not "${raw.slice(0, 40)}".` };
  if (id === guildId) return { ok: false, error: 'ping: cannot be @everyone; pick a role the digest may mention.' };
  return { ok: true, value: id };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const SECTION_ALIASES: Record<string, DigestSectionKey> = {
  headlines: 'headline',
  crates: 'crate',
  quotes: 'quote',
  link: 'links',
  event: 'events',
  rfc: 'rfcs',
  calls: 'cft',
  'call-for-testing': 'cft',
  'call-for-participation': 'cfp',
};

/** "crate, events quote" → ['crate', 'quote', 'events'] in digest order; empty input → the defaults. */
export function parseSections(text: string | undefined): Parsed<DigestSectionKey[]> {
  const words = (text ?? '')
    .toLowerCase()
    .split(/[\s,;+]+/)
    .filter(Boolean);
  if (words.length === 0) return { ok: true, value: [...DEFAULT_SECTIONS] };
  if (words.length === 1 && words[0] === 'all') return { ok: true, value: [...DIGEST_SECTIONS] };
  const chosen = new Set<DigestSectionKey>();
  for (const word of words) {
    const key = (DIGEST_SECTIONS as readonly string[]).includes(word) ? (word as DigestSectionKey) : SECTION_ALIASES[word];
    if (!key)
      return { ok: false, error: `"${word.slice(0, 30)}" is not a digest section; choose from ${DIGEST_SECTIONS.join(', ')} (or "all").` };
    chosen.add(key);
  }
  return { ok: true, value: DIGEST_SECTIONS.filter((s) => chosen.has(s)) };
}

/**
 * "new" (or nothing) → as published; "mon 09:00 Europe/Berlin" → weekly.
 * The zone must be an IANA name the runtime knows; "UTC" is accepted too.
 */
export function parseWhen(text: string | undefined): Parsed<DigestWhen> {
  const raw = (text ?? '').trim();
  if (raw === '' || /^(new|now|asap|published)$/i.test(raw)) return { ok: true, value: { kind: 'new' } };
  const m = /^([a-z]{3})[a-z]*\s+(\d{1,2}):(\d{2})\s+(\S+)$/i.exec(raw);
  const hint = 'Use "new", or a weekly slot such as "mon 09:00 Europe/Berlin" (day, 24-hour time, IANA time zone).';
  if (!m) return { ok: false, error: `"${raw.slice(0, 60)}" is not a schedule. ${hint}` };
  const day = (m[1] as string).toLowerCase() as Weekday;
  if (!WEEKDAYS.includes(day)) return { ok: false, error: `"${m[1]}" is not a day of the week. ${hint}` };
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  if (hour > 23 || minute > 59) return { ok: false, error: `${m[2]}:${m[3]} is not a time of day. ${hint}` };
  const zone = canonicalZone(m[4] as string);
  if (!zone) return { ok: false, error: `"${(m[4] as string).slice(0, 40)}" is not a time zone I know. ${hint}` };
  return { ok: true, value: { kind: 'weekly', day, hour, minute, zone } };
}

/** The zone's canonical spelling ("europe/berlin" → "Europe/Berlin"), or null when unknown. */
function canonicalZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** "mon 09:00 Europe/Berlin" or "new": the stored and displayed form. */
export function formatWhen(when: DigestWhen): string {
  if (when.kind === 'new') return 'new';
  return `${when.day} ${String(when.hour).padStart(2, '0')}:${String(when.minute).padStart(2, '0')} ${when.zone}`;
}

/** A sentence for replies: "as soon as an issue is published" / "on mon at 09:00 (Europe/Berlin)". */
export function describeWhen(when: DigestWhen): string {
  if (when.kind === 'new') return 'as soon as an issue is published';
  return `at the first ${when.day} ${String(when.hour).padStart(2, '0')}:${String(when.minute).padStart(2, '0')} (${when.zone}) after an issue is published`;
}
