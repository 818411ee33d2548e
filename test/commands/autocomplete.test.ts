import { describe, expect, it } from 'vitest';
import { commandList } from '../../commands/index.js';
import { autocomplete } from '../../src/core/commands/autocomplete.js';
import { archiveStore } from '../support/archive-store.js';

const ctx = () => ({ archive: archiveStore(), asOf: '2024-10-30', catalogue: commandList });

describe('option autocomplete on the real archive, as of 2024-10-30', () => {
  it('completes crate names by prefix and forgives typos', () => {
    expect(autocomplete('crates', 'bac', ctx())).toContain('bacon');
    expect(autocomplete('crates', 'tokoi', ctx()).length).toBeGreaterThan(0);
  });

  it('offers places that have upcoming events', () => {
    expect(autocomplete('places', 'ber', ctx())[0]).toBe('Berlin');
    expect(autocomplete('places', '', ctx()).length).toBe(25);
  });

  it('offers the FCP groups of the newest issue, recent issue numbers, commands and sections', () => {
    expect(autocomplete('fcp-groups', '', ctx())).toEqual(['Rust']);
    expect(autocomplete('issues', '', ctx()).slice(0, 2)).toEqual(['571', '570']);
    expect(autocomplete('commands', 'ev', ctx())[0]).toBe('events');
    expect(autocomplete('sections', 'walk', ctx())).toEqual(['walkthroughs']);
  });

  it('never returns more than Discord can show, whatever is typed', () => {
    for (const typed of ['', 'a', 'x'.repeat(10_000), '"*NEAR('])
      expect(autocomplete('crates', typed, ctx()).length).toBeLessThanOrEqual(25);
  });
});
