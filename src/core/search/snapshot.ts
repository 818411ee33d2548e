/**
 * Saved copies of what a search index needs (the link catalog and the
 * vocabulary), so a process that searches once does not rebuild them.
 *
 * Why (measured on the full archive, 2-core box): building the catalog reads
 * 75k link rows and keys 50k URLs (~250–430 ms), loading the vocabulary reads
 * and sorts 21k terms (~80–140 ms); a one-shot `twir search` cost ~3× a
 * `twir crate`. Read back as blobs they cost a few milliseconds. The copy is
 * tagged with the store fingerprint it was built from and ignored when the
 * store has changed since; it is written by whoever built the index fresh
 * (a one-shot CLI after answering, `serve` right after a sync), never by a
 * sync itself, which keeps the weekly one-issue sync fast.
 */
import type Database from 'better-sqlite3';
import { type CatalogIssue, type CatalogSection, dayNumber, type LinkCatalog } from './catalog.js';
import { Vocabulary } from './vocabulary.js';

type Db = Database.Database;

const ARRAYS = ['linkIssue', 'linkSection', 'linkUrl', 'urlStart', 'urlLinks'] as const;

interface Meta {
  links: number;
  /** Issue ids in catalog order: `linkIssue` indexes into this list. */
  issueIds: number[];
  sections: CatalogSection[];
}

/** Saves `catalog` and `vocab` as built for `fingerprint`; false when the store cannot be written (read-only). */
export function saveSearchSnapshot(db: Db, fingerprint: string, catalog: LinkCatalog, vocab: Vocabulary): boolean {
  const put = db.prepare(
    'INSERT INTO search_snapshots (name, fingerprint, data) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET fingerprint = excluded.fingerprint, data = excluded.data',
  );
  const meta: Meta = { links: catalog.links, issueIds: catalog.issueIds, sections: catalog.sections };
  try {
    db.transaction(() => {
      put.run('catalog:meta', fingerprint, Buffer.from(JSON.stringify(meta)));
      for (const name of ARRAYS) {
        const a = catalog[name];
        put.run(`catalog:${name}`, fingerprint, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
      }
      put.run('vocab:terms', fingerprint, Buffer.from(vocab.terms.join('\n')));
      put.run('vocab:docs', fingerprint, Buffer.from(vocab.docs.buffer, vocab.docs.byteOffset, vocab.docs.byteLength));
    })();
    return true;
  } catch {
    return false;
  }
}

/** The catalog and vocabulary saved for exactly `fingerprint`, or null. */
export function loadSearchSnapshot(db: Db, fingerprint: string): { catalog: LinkCatalog; vocab: Vocabulary } | null {
  let rows: { name: string; data: Buffer }[];
  try {
    rows = db.prepare('SELECT name, data FROM search_snapshots WHERE fingerprint = ?').all(fingerprint) as typeof rows;
  } catch {
    return null;
  }
  const blobs = new Map(rows.map((r) => [r.name, r.data]));
  const meta = blobs.get('catalog:meta');
  const terms = blobs.get('vocab:terms');
  const docs = blobs.get('vocab:docs');
  if (!meta || terms === undefined || !docs || ARRAYS.some((n) => !blobs.has(`catalog:${n}`))) return null;
  const m = JSON.parse(meta.toString('utf8')) as Meta;
  const issueRows = db.prepare('SELECT id, number, date, title, url FROM issues').all() as ({ id: number } & Omit<CatalogIssue, 'day'>)[];
  const byId = new Map(issueRows.map((r) => [r.id, r]));
  const issues: CatalogIssue[] = [];
  for (const id of m.issueIds) {
    const r = byId.get(id);
    if (!r) return null;
    issues.push({ number: r.number, date: r.date, title: r.title, url: r.url, day: dayNumber(r.date) });
  }
  const ints = (name: string) => {
    const b = blobs.get(name) as Buffer;
    // A copy: the blob's buffer may be shared and unaligned.
    return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  const catalog: LinkCatalog = {
    links: m.links,
    issues,
    issueIds: m.issueIds,
    sections: m.sections,
    linkIssue: ints('catalog:linkIssue'),
    linkSection: ints('catalog:linkSection'),
    linkUrl: ints('catalog:linkUrl'),
    urlStart: ints('catalog:urlStart'),
    urlLinks: ints('catalog:urlLinks'),
  };
  const termList = terms.length ? terms.toString('utf8').split('\n') : [];
  const docCounts = ints('vocab:docs');
  if (termList.length !== docCounts.length) return null;
  return { catalog, vocab: Vocabulary.sorted(termList, docCounts) };
}
