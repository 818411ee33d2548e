/**
 * Queries that name one thing rather than describe it: a URL ("was this in
 * TWIR?"), a pull request or issue (`#132706`, `rust#132706`,
 * `rust-lang/rust#132706`) or an RFC (`rfc 3668`, `RFC3668`, `rfcs#3668`).
 * They are answered by looking the link up, not by matching words: the words
 * of a URL (`https`, `github`, `com`, `pull`) would match half the archive.
 *
 * A lookup is a set of exact stored URLs to try (through the `links.url`
 * index) plus a key every candidate must have once normalised (`linkKey`), so
 * `http`/`https`, `www.`, a trailing slash, tracking parameters and a pull
 * request's `/files` tab all name the same link.
 */

/** What to look up: exact URLs and URL prefixes (tried with GLOB), and how to tell a real match. */
export interface LinkLookup {
  kind: 'url' | 'pull' | 'rfc';
  /** What the user named, for the reply (`https://…`, `rust-lang/rust#132706`, `RFC 3668`). */
  label: string;
  exact: string[];
  prefixes: string[];
  /** Whether a stored URL is the one asked about. */
  matches(url: string): boolean;
}

const TRACKING = /^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|ref_url|source|si|s|share|igshid|trk)$/i;
/** GitHub pages of one pull request or issue that are not a different thing (`/files`, `/commits`, …). */
const GITHUB_TAB = /^(\/[^/]+\/[^/]+\/(?:pull|issues)\/\d+)(?:\/(?:files|commits|checks|changes)(?:\/.*)?)?$/i;

/**
 * The key under which two spellings of a link are the same: host lowercased
 * without `www.`, no scheme, no fragment, no tracking parameters, no trailing
 * slash, a pull request's tabs folded into the pull request, `/issues/N` and
 * `/pull/N` the same number.
 */
export function linkKey(url: string): string {
  const m = /^(?:[a-z][\w+.-]*:)?\/\/(?:www\.)?([^/?#]*)([^?#]*)(\?[^#]*)?/i.exec(url.trim());
  if (!m) return url.trim();
  const host = (m[1] as string).toLowerCase();
  let path = (m[2] as string).replace(/\/+$/, '');
  if (host === 'github.com') path = path.replace(GITHUB_TAB, '$1').replace(/\/issues\/(\d+)$/i, '/pull/$1');
  const query = (m[3] ?? '')
    .slice(1)
    .split('&')
    .filter((p) => p && !TRACKING.test(p.split('=')[0] as string))
    .join('&');
  return `${host}${path}${query ? `?${query}` : ''}`;
}

/** Every stored spelling of `host` + `path` to try: both schemes, with and without `www.` and a trailing slash. */
function spellings(host: string, path: string): string[] {
  const out: string[] = [];
  for (const scheme of ['https://', 'http://'])
    for (const h of [host, `www.${host}`]) for (const p of path ? [path, `${path}/`] : ['', '/']) out.push(`${scheme}${h}${p}`);
  return out;
}

/** The lookup a query asks for, or null when it is ordinary words. */
export function parseLinkLookup(text: string): LinkLookup | null {
  const q = typeof text === 'string' ? text.trim() : '';
  if (!q || q.length > 2000 || /\s/.test(q.replace(/^rfcs?\s+#?(?=\d)/i, ''))) return null;
  const rfc = /^rfcs?\s*#?\s*(\d{1,5})$/i.exec(q) ?? /^(?:rust-lang\/)?rfcs#(\d{1,5})$/i.exec(q);
  if (rfc) return rfcLookup(Number(rfc[1]));
  const pull = /^(?:(?:([\w.-]+)\/)?([\w.-]+))?#(\d{1,7})$/.exec(q);
  if (pull) {
    const repo = pull[2] ?? 'rust';
    const owner = pull[1] ?? (pull[2] && !pull[2].startsWith('rust') && pull[2] !== 'cargo' ? null : 'rust-lang');
    if (!owner) return null;
    if (repo.toLowerCase() === 'rfcs' && owner.toLowerCase() === 'rust-lang') return rfcLookup(Number(pull[3]));
    return pullLookup(owner, repo, Number(pull[3]));
  }
  if (!/^(?:https?:\/\/|www\.)|^[\w-]+(?:\.[\w-]+)+\/\S/i.test(q)) return null;
  const url = /^https?:\/\//i.test(q) ? q : `https://${q}`;
  const key = linkKey(url);
  const host = key.split('/')[0] as string;
  const pr = /^github\.com\/([^/]+)\/([^/]+)\/pull\/(\d+)$/i.exec(key);
  if (pr) return { ...pullLookup(pr[1] as string, pr[2] as string, Number(pr[3])), kind: 'url', label: q };
  const path = key.slice(host.length).split('?')[0] as string;
  const exact = spellings(host, path);
  return {
    kind: 'url',
    label: q,
    exact,
    // A stored link may carry its own query string or fragment (`?si=…`, `#section`).
    prefixes: exact.filter((u) => !u.endsWith('/')).flatMap((u) => [`${u}?`, `${u}#`, `${u}/?`, `${u}/#`]),
    matches: (stored) => linkKey(stored) === key,
  };
}

function pullLookup(owner: string, repo: string, n: number): LinkLookup {
  const key = `github.com/${owner}/${repo}/pull/${n}`.toLowerCase();
  const exact = ['pull', 'issues'].flatMap((kind) => spellings('github.com', `/${owner}/${repo}/${kind}/${n}`));
  return {
    kind: 'pull',
    label: `${owner}/${repo}#${n}`,
    exact,
    prefixes: exact.filter((u) => !u.endsWith('/')).flatMap((u) => [`${u}/`, `${u}#`, `${u}?`]),
    matches: (stored) => linkKey(stored).toLowerCase() === key,
  };
}

/** An RFC: its pull request in rust-lang/rfcs and its rendered page (`rust-lang.github.io/rfcs/3668-….html`). */
function rfcLookup(n: number): LinkLookup {
  const pr = pullLookup('rust-lang', 'rfcs', n);
  const padded = String(n).padStart(4, '0');
  const rendered = [
    ...spellings('rust-lang.github.io', `/rfcs/${padded}-`),
    ...spellings('github.com', `/rust-lang/rfcs/blob/master/text/${padded}-`),
  ].filter((u) => !u.endsWith('/'));
  const page = new RegExp(`^(?:rust-lang\\.github\\.io/rfcs|github\\.com/rust-lang/rfcs/blob/master/text)/${padded}-`, 'i');
  return {
    kind: 'rfc',
    label: `RFC ${n}`,
    exact: pr.exact,
    prefixes: [...pr.prefixes, ...rendered],
    matches: (stored) => pr.matches(stored) || page.test(linkKey(stored)),
  };
}
