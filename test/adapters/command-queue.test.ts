import { describe, expect, it } from 'vitest';
import { createCommandQueue, QueueFullError } from '../../src/adapters/command-queue.js';

const busy = (ms: number) => () => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy on purpose: commands are synchronous.
  }
  return ms;
};

describe('the command queue', () => {
  it('runs long queued commands one per turn of the event loop, so I/O callbacks run between them', async () => {
    const queue = createCommandQueue({ sliceMs: 10 });
    const order: string[] = [];
    const jobs = [1, 2, 3].map((n) => queue.run('search', () => order.push(`job ${n} after ${busy(12)()} ms`)));
    // An immediate queued after the jobs runs before the second job: the loop got a turn in between.
    setImmediate(() => order.push('io'));
    await Promise.all(jobs);
    expect(order.indexOf('io')).toBeGreaterThan(0);
    expect(order.indexOf('io')).toBeLessThan(order.length - 1);
  });

  it('runs quick queued commands in batches of up to sliceMs per turn', async () => {
    const queue = createCommandQueue({ sliceMs: 1000 });
    const order: string[] = [];
    const jobs = [1, 2, 3].map((n) => queue.run('search', () => order.push(`job ${n}`)));
    setImmediate(() => order.push('io'));
    await Promise.all(jobs);
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['job 1', 'job 2', 'job 3', 'io']);
  });

  it('lets a command that has been cheap lately skip the line', async () => {
    const queue = createCommandQueue({ cheapMs: 5 });
    await queue.run('help', () => 'warm');
    const order: string[] = [];
    const slow = [1, 2].map(() => queue.run('search', () => order.push('search')));
    await queue.run('help', () => order.push('help'));
    await Promise.all(slow);
    expect(order[0]).toBe('help');
  });

  it('refuses past its bound with QueueFullError, and says so beforehand', async () => {
    const queue = createCommandQueue({ maxBacklogMs: 30 });
    await queue.run('search', busy(10));
    const runs = Array.from({ length: 6 }, () => queue.run('search', busy(10)).catch((e: unknown) => e));
    expect(queue.isFull('search')).toBe(true);
    const results = await Promise.all(runs);
    expect(results.filter((r) => r instanceof QueueFullError).length).toBeGreaterThan(0);
    expect(queue.isFull('search')).toBe(false);
  });
});
