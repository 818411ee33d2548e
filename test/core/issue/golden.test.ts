/**
 * Golden fixtures: one small issue per newsletter era, `test/fixtures/eras/<era>.md`, and the
 * full `parseIssue` output expected for it, `<era>.json` (diagnostics included).
 *
 * Any change in what an extractor returns for these issues fails here. When the change is
 * intended, regenerate the JSON and review it in the diff, field by field, against the markdown:
 *
 *     UPDATE_GOLDEN=1 npx vitest run test/core/issue/golden.test.ts
 *
 * With `UPDATE_GOLDEN=1` the test rewrites every `<era>.json` instead of comparing.
 * `test/fixtures/biome.json` keeps the formatter away from the fixtures: it would rewrite the
 * eras' `*` bullets as `-` and `*emphasis*` as `_emphasis_`, and reflow the JSON.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIssue } from '../../../src/core/issue/parse-issue.js';

const FIXTURES = new URL('../../fixtures/eras/', import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const eras = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.md'))
  .sort();

describe('golden issue per era', () => {
  it('has a fixture for every era', () => {
    expect(eras.map((f) => f.replace(/\.md$/, ''))).toEqual(
      expect.arrayContaining(['2014', '2015', '2017', '2019', '2021', '2022-23', '2025']),
    );
  });

  for (const file of eras) {
    const era = file.replace(/\.md$/, '');
    it(`parses the ${era} issue exactly as ${era}.json says`, () => {
      const markdown = readFileSync(new URL(file, FIXTURES), 'utf8');
      const issue = parseIssue(markdown, { file });
      const json = new URL(`${era}.json`, FIXTURES);
      if (UPDATE) {
        writeFileSync(json, `${JSON.stringify(issue, null, 2)}\n`);
        return;
      }
      expect(issue).toEqual(JSON.parse(readFileSync(json, 'utf8')));
    });
  }
});
