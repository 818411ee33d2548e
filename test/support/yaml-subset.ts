/**
 * Reads the plain subset of YAML the repository's compose.yaml is written
 * in: block mappings and sequences by indentation, plain and quoted scalars,
 * one-line flow sequences (`["CMD", "x"]`) and comments. Anything else
 * (anchors, aliases, block strings, flow mappings, tabs) throws, so a test
 * never silently misreads a file it cannot understand. No YAML parser is
 * installed and compose.yaml needs none of the rest.
 */

export type YamlValue = string | YamlValue[] | { [key: string]: YamlValue } | null;

interface Line {
  indent: number;
  text: string;
  n: number;
}

/** Parses `source`; throws with the line number on anything outside the subset. */
export function parseYamlSubset(source: string): YamlValue {
  const lines: Line[] = [];
  source.split('\n').forEach((raw, i) => {
    if (raw.includes('\t')) throw new Error(`line ${i + 1}: tabs are not supported`);
    const text = stripComment(raw).trimEnd();
    if (text.trim() === '') return;
    lines.push({ indent: text.length - text.trimStart().length, text: text.trim(), n: i + 1 });
  });
  let at = 0;

  const block = (indent: number): YamlValue => {
    const first = lines[at];
    if (!first || first.indent < indent) return null;
    return first.text.startsWith('- ') || first.text === '-' ? sequence(first.indent) : mapping(first.indent);
  };

  const mapping = (indent: number): YamlValue => {
    const out: Record<string, YamlValue> = {};
    while (lines[at] && (lines[at] as Line).indent === indent && !(lines[at] as Line).text.startsWith('- ')) {
      const line = lines[at] as Line;
      const m = /^("[^"]*"|'[^']*'|[^:'"]+):(?:\s+(.*))?$/.exec(line.text);
      if (!m) throw new Error(`line ${line.n}: expected "key: value", got ${JSON.stringify(line.text)}`);
      const key = scalar(m[1] as string, line.n) as string;
      if (key in out) throw new Error(`line ${line.n}: duplicate key ${key}`);
      at++;
      out[key] = m[2] === undefined ? block(indent + 1) : scalar(m[2], line.n);
    }
    return out;
  };

  const sequence = (indent: number): YamlValue => {
    const out: YamlValue[] = [];
    while (lines[at] && (lines[at] as Line).indent === indent && (lines[at] as Line).text.startsWith('-')) {
      const line = lines[at] as Line;
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        at++;
        out.push(block(indent + 1));
      } else if (/^("[^"]*"|'[^']*'|[^:'"[\]]+):(\s|$)/.test(rest)) {
        // "- key: value" starts a mapping whose keys sit at the column after "- ".
        line.indent = indent + (line.text.length - rest.length);
        line.text = rest;
        out.push(mapping(line.indent));
      } else {
        at++;
        out.push(scalar(rest, line.n));
      }
    }
    return out;
  };

  const value = block(0);
  if (at < lines.length) throw new Error(`line ${(lines[at] as Line).n}: unexpected indentation`);
  return value;
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ')) return line.slice(0, i);
  }
  return line;
}

function scalar(raw: string, n: number): YamlValue {
  const text = raw.trim();
  if (/^[&*|>{!]/.test(text)) throw new Error(`line ${n}: ${JSON.stringify(text)} is outside the supported subset`);
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) throw new Error(`line ${n}: a flow sequence must close on its line`);
    const inner = text.slice(1, -1).trim();
    if (inner === '') return [];
    return (inner.match(/"[^"]*"|'[^']*'|[^,]+/g) ?? []).map((part) => scalar(part, n));
  }
  if (text.startsWith('"')) {
    if (!/^"[^"\\]*"$/.test(text)) throw new Error(`line ${n}: unsupported double-quoted string ${text}`);
    return text.slice(1, -1);
  }
  if (text.startsWith("'")) {
    if (!/^'[^']*'$/.test(text)) throw new Error(`line ${n}: unsupported single-quoted string ${text}`);
    return text.slice(1, -1);
  }
  if (text === '~' || text === 'null') return null;
  return text;
}
