/**
 * No container engine runs in CI, so the Dockerfile is checked here for what it promises, and its build
 * step is the script .ci/run runs on a fresh copy of the checkout (.ci/production-build): CI exercises the
 * same install the image gets.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(): { op: string; args: string; stage: number }[] {
  const joined = read('Dockerfile').replace(/\\\n/g, ' ');
  let stage = -1;
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op = '', ...rest] = l.split(/\s+/);
      if (op === 'FROM') stage++;
      return { op, args: rest.join(' '), stage };
    });
}

describe('Dockerfile and compose.yaml', () => {
  const all = instructions();
  const final = all.filter((i) => i.stage === Math.max(...all.map((x) => x.stage)));

  it('is multi-stage: the build stage runs the production install CI runs, the final one copies its result', () => {
    expect(all.filter((i) => i.op === 'FROM').length).toBeGreaterThanOrEqual(2);
    const build = all.filter((i) => i.stage === 0 && i.op === 'RUN').map((i) => i.args);
    expect(build).toContain('sh .ci/production-build');
    expect(read('.ci/run')).toContain('sh .ci/production-build');
    expect(read('.ci/production-build')).toMatch(/^npm ci --omit=dev/m);
    expect(final.some((i) => i.op === 'COPY' && i.args.startsWith('--from=build'))).toBe(true);
    // Only what the install needs is copied in: everything `prepare` compiles, nothing from node_modules or dist.
    const copied = all.filter((i) => i.stage === 0 && i.op === 'COPY').map((i) => i.args);
    for (const p of ['package.json', 'package-lock.json', 'tsconfig.build.json', 'src', 'commands', 'bin'])
      expect(copied.some((c) => c.split(' ').includes(p))).toBe(true);
  });

  it('runs as a non-root user with the store on a volume, a HEALTHCHECK on /healthz and PORT set', () => {
    expect(final.find((i) => i.op === 'USER')?.args).toBe('node');
    expect(final.find((i) => i.op === 'VOLUME')?.args).toContain('/data');
    expect(final.find((i) => i.op === 'ENV')?.args).toMatch(/TWIR_DB=\/data\/twir\.db .*PORT=3000/);
    expect(final.find((i) => i.op === 'HEALTHCHECK')?.args).toContain('/healthz');
    expect(final.at(-1)).toMatchObject({ op: 'CMD', args: '["node", "bin/twir.js", "serve"]' });
  });

  it('builds on a Node version the engines field allows, and compose keeps the store on a named volume', () => {
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe('^20.19.0 || >=22.12.0');
    expect(read('.nvmrc').trim()).toBe('20.19');
    expect(all.filter((i) => i.op === 'FROM').every((i) => /^node:22-/.test(i.args))).toBe(true);
    const compose = read('compose.yaml');
    expect(compose).toMatch(/volumes:\n\s+- twir-data:\/data/);
    expect(compose).toContain('build: .');
  });

  it('npm ci --omit=dev can build: prepare needs only runtime dependencies', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.scripts.prepare).toBe('tsc -p tsconfig.build.json');
    for (const dep of ['typescript', '@types/node', '@types/better-sqlite3', '@types/mdast']) expect(pkg.dependencies[dep]).toBeDefined();
  });
});
