/**
 * Worker-thread entry: parses the files it is sent and posts the issues back.
 * Parsing is CPU-bound (micromark), so a sync spreads it over the cores.
 */
import { parentPort } from 'node:worker_threads';
import { parseIssueBytes } from '../issue/parse-file.js';

interface Job {
  id: number;
  file: string;
  bytes: Uint8Array;
}

parentPort?.on('message', (job: Job) => {
  try {
    parentPort?.postMessage({ id: job.id, issue: parseIssueBytes(job.bytes, job.file) });
  } catch (err) {
    parentPort?.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
