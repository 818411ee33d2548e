/**
 * The typed shape of one parsed This Week in Rust issue.
 *
 * These field names are the project's data contract: the store keeps them,
 * `twir export` writes them, and the commands read them. Dates are ISO strings
 * (`YYYY-MM-DD`) so they sort as text and survive JSON untouched.
 */

/** Where the markdown came from and what the Pelican header said. */
export interface IssueMeta {
  /** Issue number from `Number:` or the title; null for "State of Rust" posts. */
  number: number | null;
  /** Publication date, ISO `YYYY-MM-DD`. */
  date: string;
  title: string;
  /** The issue's page on this-week-in-rust.org (answers link back: CC-BY-SA). */
  url: string;
  /** File name inside the source folder, e.g. `2024-10-30-this-week-in-rust.md`. */
  file: string;
}

/** A linked item anywhere in the issue (a bullet with a link, mostly). */
export interface LinkItem {
  /** Heading path, e.g. `["Updates from Rust Community", "Observations/Thoughts"]`. */
  section: string[];
  title: string;
  url: string;
  /** Media tags written before the link, e.g. `[video]`, `[audio]`: lower case. */
  tags: string[];
  /** The whole list item as plain text. */
  text: string;
}

export interface CrateOfWeek {
  name: string;
  url: string | null;
  description: string;
  /** Who suggested it (`self` for a self-suggestion when no name is given), or null. */
  suggestedBy: string | null;
}

/** One speaker's words in a quote of the week. */
export interface QuotePart {
  text: string;
  attribution: string | null;
  url: string | null;
}

/** The quote of the week; `text`, `attribution` and `url` are its first part. */
export interface QuoteOfWeek {
  text: string;
  attribution: string | null;
  url: string | null;
  suggestedBy: string | null;
  /**
   * Every part in order, each with its own speaker: one for a plain quote,
   * several for an exchange ("Pointers are quite hard." – Tim McNamara; "And,
   * as the name implies, pointy." – llogiq) or two quotes in one week.
   */
  parts: QuotePart[];
}

export type FcpDisposition = 'merge' | 'close' | 'postpone';

export interface FcpItem {
  title: string;
  url: string;
  disposition: FcpDisposition | null;
  /** Nearest subheading under "Final Comment Period": "RFCs", "Rust", "Cargo", … */
  group: string;
}

export interface RfcItem {
  title: string;
  url: string;
  /** For new/updated RFCs: `new` or `updated` when the issue says so. */
  status: 'new' | 'updated' | null;
}

export interface CallForTesting {
  title: string;
  url: string;
  /** Subheading it sat under: "RFCs", "Rust", "Rustup", "Cargo", … or null. */
  group: string | null;
}

export interface CfpProject {
  /** Project name when the item is written `project - task`, else null. */
  project: string | null;
  title: string;
  url: string;
}

export interface CfpEvent {
  title: string;
  url: string;
  /** When the call for proposals closes (ISO), if given. */
  closes: string | null;
  location: string | null;
  /** When the event itself takes place (ISO), if given. */
  eventDate: string | null;
  /** The last day of a multi-day event (`2026-10-14 - 2026-10-17`), else null. */
  eventEndDate: string | null;
}

export interface RustEvent {
  /** ISO start date. */
  date: string;
  /** ISO end date for multi-day events, else null. */
  endDate: string | null;
  /** Region heading it was listed under ("Europe", "Virtual", …) or null. */
  region: string | null;
  /** Location text as written, e.g. `Virtual (Nürnberg, DE)` or `Berlin, DE`. */
  location: string | null;
  city: string | null;
  country: string | null;
  virtual: boolean;
  hybrid: boolean;
  group: string | null;
  groupUrl: string | null;
  title: string;
  url: string;
  /** Every region heading it was listed under, once per event (a hybrid meetup under "Virtual" and "Europe"). */
  regions: string[];
  /** Where it is, from the gazetteer (resolved at ingest, see src/core/places/event-place.ts); null when unknown. */
  place?: EventPlace | null;
  /** Why `place` is missing or only names a country; null when the city resolved. */
  placeNote?: string | null;
}

/** An event's place as the gazetteer knows it. */
export interface EventPlace {
  /** GeoNames id of the city, null for a country-only place. */
  cityId: number | null;
  city: string | null;
  /** ISO 3166-2 code and name (`US-TX`, "Texas"), when known. */
  subdivisionCode: string | null;
  subdivision: string | null;
  /** ISO 3166-1 alpha-2 code and English name. */
  countryCode: string;
  country: string;
  lat: number | null;
  lon: number | null;
}

/** The counts line of a triage: `0 Regressions, 6 Improvements, 7 Mixed`. */
export interface PerfCounts {
  regressions: number;
  improvements: number;
  /** Null when the line has no "mixed" category (2020 triages had none). */
  mixed: number | null;
}

export interface PerfTriage {
  author: string | null;
  summary: string;
  /** The full report, else (2021–22 weeks without one) the compared revision range on perf.rust-lang.org. */
  reportUrl: string | null;
  /** Null when the week gave no counts line. */
  counts: PerfCounts | null;
}

export interface JobItem {
  title: string;
  url: string;
}

/** Something the parser noticed but could not use; never fatal. */
export interface Diagnostic {
  level: 'info' | 'warn';
  /** Set when the problem makes the file unfit to store (sync reports it instead). */
  fatal?: 'no-date' | 'too-large' | 'unparsable';
  message: string;
  /** Heading path or line where it happened, when known. */
  where?: string;
}

export interface Issue extends IssueMeta {
  links: LinkItem[];
  cratesOfWeek: CrateOfWeek[];
  quoteOfWeek: QuoteOfWeek | null;
  fcp: FcpItem[];
  approvedRfcs: RfcItem[];
  newRfcs: RfcItem[];
  callsForTesting: CallForTesting[];
  cfpProjects: CfpProject[];
  cfpEvents: CfpEvent[];
  events: RustEvent[];
  jobs: JobItem[];
  mergedPrCount: number | null;
  perfTriage: PerfTriage | null;
  diagnostics: Diagnostic[];
}
