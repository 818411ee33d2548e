import { describe, expect, it } from 'vitest';
import { Archive } from '../../../src/core/archive/archive.js';
import { openStore } from '../../../src/core/store/store.js';
import { archiveIssue } from '../../support/digest-fixtures.js';

describe("the archive's caches in a serving process", () => {
  it('survive writes that change no answer (page state, leases, delivery logs) and drop on a stored issue', () => {
    const store = openStore({ path: ':memory:' });
    try {
      store.replaceIssue(archiveIssue(570), 'sha-570', 1);
      const archive = new Archive(store.db);
      let builds = 0;
      const cached = () => {
        archive.refreshIfChanged();
        return archive.memo('probe', () => ++builds);
      };
      expect(cached()).toBe(1);
      store.setState('discord:page:abc', '{"page":2}');
      store.setState('sync:lease', '{"holder":"twir serve"}');
      expect(cached()).toBe(1);
      store.replaceIssue(archiveIssue(571), 'sha-571', 1);
      expect(cached()).toBe(2);
      store.removeFile(archiveIssue(571).file);
      expect(cached()).toBe(3);
    } finally {
      store.close();
    }
  });
});
