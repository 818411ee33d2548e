import { describe, expect, it } from 'vitest';
import { parseIssue } from '../src/core/issue/parse-issue.js';

describe('parseIssue header', () => {
  it('reads number, date, title and builds the site URL', () => {
    const issue = parseIssue('Title: This Week in Rust 571\nNumber: 571\nDate: 2024-10-30\nCategory: This Week in Rust\n\nHello\n', {
      file: '2024-10-30-this-week-in-rust.md',
    });
    expect(issue.number).toBe(571);
    expect(issue.date).toBe('2024-10-30');
    expect(issue.url).toBe('https://this-week-in-rust.org/blog/2024/10/30/this-week-in-rust-571/');
  });
});
