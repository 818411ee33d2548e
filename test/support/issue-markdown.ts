/** Small TWIR-shaped markdown files for store and sync tests. */

export interface MiniIssue {
  number: number;
  date: string;
  crate?: string;
  links?: string[];
}

export function miniIssueMarkdown(issue: MiniIssue): string {
  const links = (issue.links ?? [`Post about issue ${issue.number}`])
    .map((t, i) => `* [${t}](https://blog.rust-test.dev/${issue.number}/${i})`)
    .join('\n');
  return `Title: This Week in Rust ${issue.number}
Number: ${issue.number}
Date: ${issue.date}
Category: This Week in Rust

Hello and welcome to another issue of *This Week in Rust*!

## Updates from Rust Community

### Observations/Thoughts
${links}

## Crate of the Week

${issue.crate ? `This week's crate is [${issue.crate}](https://crates.io/crates/${issue.crate}), a crate for tests.` : 'No crate this week.'}

Thanks to [Someone](https://users.rust-lang.org/t/crate-of-the-week/2704/1) for the suggestion!
`;
}

export function miniIssueFile(issue: MiniIssue): string {
  return `${issue.date}-this-week-in-rust.md`;
}
