/**
 * Weekly slots: when a delivery planned now is due. croner does the calendar
 * arithmetic in the subscriber's IANA zone, so "mon 09:00 Europe/Berlin" is
 * 07:00 UTC in summer and 08:00 UTC in winter, across DST changes, without
 * offset maths of our own.
 */
import { Cron } from 'croner';
import { type DigestWhen, WEEKDAYS } from './settings.js';

/**
 * The instant a delivery planned at `after` is due: `after` itself for
 * "new", otherwise the next weekly slot strictly after it.
 */
export function dueAt(when: DigestWhen, after: Date): Date {
  if (when.kind === 'new') return after;
  const pattern = `0 ${when.minute} ${when.hour} * * ${WEEKDAYS.indexOf(when.day)}`;
  const job = new Cron(pattern, { timezone: when.zone, paused: true });
  try {
    // nextRun never returns null for a weekly pattern without stopAt; fall back to "now" defensively.
    return job.nextRun(after) ?? after;
  } finally {
    job.stop();
  }
}
