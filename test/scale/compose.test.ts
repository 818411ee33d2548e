/**
 * compose.yaml, read as data (no container engine needed): the default
 * single service is unchanged, and the `scale` profile has PostgreSQL with a
 * health check, two HTTP-mode replicas on it, and a proxy whose config
 * round-robins to both.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseYamlSubset, type YamlValue } from '../support/yaml-subset.js';

type Service = Record<string, YamlValue> & {
  profiles?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
};

const root = new URL('../../', import.meta.url);
const compose = parseYamlSubset(readFileSync(new URL('compose.yaml', root), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, YamlValue>;
};
const services = compose.services;

describe('compose.yaml', () => {
  it('keeps the default single service: no profile, its store on a volume, port 3000 on localhost', () => {
    const twir = services.twir as Service;
    expect(twir.profiles).toBeUndefined();
    expect(twir.environment).toMatchObject({ TWIR_DB: '/data/twir.db', PORT: '3000' });
    expect(twir.environment?.DATABASE_URL).toBeUndefined();
    expect(twir.ports).toEqual(['127.0.0.1:3000:3000']);
    expect(twir.volumes).toEqual(['twir-data:/data']);
  });

  it('puts PostgreSQL, two replicas and a proxy in the scale profile, and nothing else', () => {
    const scale = Object.entries(services)
      .filter(([, s]) => s.profiles?.includes('scale'))
      .map(([name]) => name);
    expect(scale.sort()).toEqual(['postgres', 'proxy', 'twir-1', 'twir-2']);
  });

  it('runs the official PostgreSQL image with a health check and its data on a volume', () => {
    const pg = services.postgres as Service;
    expect(String(pg.image)).toMatch(/^postgres:\d+/);
    expect(JSON.stringify((pg.healthcheck as Record<string, YamlValue>).test)).toContain('pg_isready');
    expect(pg.volumes).toEqual(['twir-postgres:/var/lib/postgresql/data']);
    expect(pg.environment).toMatchObject({ POSTGRES_USER: 'twir', POSTGRES_DB: 'twir' });
  });

  it.each(['twir-1', 'twir-2'])('%s: HTTP mode on PostgreSQL once it is healthy, named, with its own archive volume', (name) => {
    const replica = services[name] as Service;
    expect(replica.build).toBe('.');
    expect(replica.environment).toMatchObject({
      TWIR_DB: '/data/twir.db',
      TWIR_REPLICA_NAME: name,
      DISCORD_MODE: 'http',
      SLACK_APP_TOKEN: '',
      PORT: '3000',
    });
    expect(replica.environment?.DATABASE_URL).toMatch(/^postgres:\/\/twir:[^@]+@postgres:5432\/twir$/);
    expect(replica.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(replica.volumes).toEqual([`${name}-data:/data`]);
    // Only the proxy is published: a replica answers through it.
    expect(replica.ports).toBeUndefined();
  });

  it('declares every named volume the services mount', () => {
    const named = Object.values(services).flatMap((s) => (s.volumes ?? []).map((v) => v.split(':')[0] as string));
    for (const volume of named.filter((v) => !v.startsWith('.'))) expect(Object.keys(compose.volumes)).toContain(volume);
  });

  it('fronts both replicas with a proxy whose config round-robins to twir-1 and twir-2', () => {
    const proxy = services.proxy as Service;
    expect(proxy.depends_on).toMatchObject({ 'twir-1': expect.anything(), 'twir-2': expect.anything() });
    expect(proxy.ports).toEqual(['127.0.0.1:8080:8080']);
    const mount = (proxy.volumes ?? []).find((v) => v.startsWith('./'));
    const file = fileURLToPath(new URL((mount as string).split(':')[0] as string, root));
    expect(existsSync(file)).toBe(true);
    const config = readFileSync(file, 'utf8');
    expect(config).toMatch(/^:8080 \{/m);
    expect(config).toMatch(/reverse_proxy twir-1:3000 twir-2:3000 \{/);
    expect(config).toMatch(/lb_policy round_robin/);
    expect(config).toMatch(/health_uri \/healthz/);
    // A POST (every interaction and event) whose replica dropped the connection is retried on the other.
    expect(config).toMatch(/lb_retry_match \{\s+method GET POST\s+\}/);
  });
});

describe('the YAML subset reader', () => {
  it('reads mappings, sequences of mappings, quoted scalars and flow sequences', () => {
    expect(parseYamlSubset('a:\n  - path: .env\n    required: false\n  - "x # not a comment" # a comment\nb: ["CMD", y]\n')).toEqual({
      a: [{ path: '.env', required: 'false' }, 'x # not a comment'],
      b: ['CMD', 'y'],
    });
  });

  it('refuses what it does not understand rather than misread it', () => {
    expect(() => parseYamlSubset('a: &anchor 1\nb: *anchor\n')).toThrow(/line 1/);
    expect(() => parseYamlSubset('a: |\n  text\n')).toThrow(/line 1/);
    expect(() => parseYamlSubset('a:\n\t- b\n')).toThrow(/tabs/);
  });
});
