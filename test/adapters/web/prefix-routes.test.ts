import { afterEach, describe, expect, it } from 'vitest';
import { createHttpListener, type HttpListener } from '../../../src/adapters/http-listener.js';

describe('path-prefix routes on the shared listener (/issue/571, /api/<command>)', () => {
  let http: HttpListener;
  afterEach(() => http.close());

  it('matches every path under a /* route, prefers an exact route and the longest prefix, and ignores the query', async () => {
    http = createHttpListener({ info: () => undefined, debug: () => undefined, warn: () => undefined, error: () => undefined });
    const answer = (text: string) => (_req: unknown, res: { end(t: string): void }) => res.end(text);
    http.route('GET', '/api/*', answer('api'));
    http.route('GET', '/api/issue/*', answer('api-issue'));
    http.route('GET', '/api/help', answer('help'));
    const port = await http.listen(0, '127.0.0.1');
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return `${res.status} ${await res.text()}`;
    };
    expect(await get('/api/search?q=x/y')).toBe('200 api');
    expect(await get('/api/issue/571')).toBe('200 api-issue');
    expect(await get('/api/help')).toBe('200 help');
    expect(await get('/api')).toBe('404 {"error":"not found"}');
    expect(await get('/apix/search')).toBe('404 {"error":"not found"}');
  });
});
