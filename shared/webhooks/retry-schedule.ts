/**
 * When a failed webhook delivery is tried again.
 *
 * A schedule lists the delays (in milliseconds) before each retry; the first attempt is
 * immediate, so the default schedule makes eight attempts over about a day. The growing
 * entries are the exponential backoff; each delay is then drawn with "equal jitter" from
 * [entry / 2, entry), so that deliveries failing together do not all come back together,
 * while no retry comes later than the schedule says nor sooner than half of it.
 */

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

export const defaultRetryScheduleMs: readonly number[] = [
  5 * second,
  5 * minute,
  30 * minute,
  2 * hour,
  5 * hour,
  10 * hour,
  10 * hour,
];

export class RetryScheduleError extends Error {
  override name = 'RetryScheduleError';
}

/**
 * Parses a comma-separated list of ISO-8601 durations (`PT5S,PT5M,PT1H`, days and weeks
 * allowed; years and months are not, having no fixed length) into a schedule.
 * Throws a RetryScheduleError naming every bad entry.
 */
export function parseRetrySchedule(text: string): number[] {
  const entries = text.split(',').map((entry) => entry.trim());
  const schedule: number[] = [];
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    const duration = parseIsoDuration(entry);
    if (duration === undefined) {
      problems.push(`entry ${index + 1} "${entry}" is not an ISO-8601 duration such as PT30S, PT5M or P1D`);
    } else if (duration <= 0) {
      problems.push(`entry ${index + 1} "${entry}" must be longer than zero`);
    } else {
      schedule.push(duration);
    }
  });
  if (problems.length > 0) {
    throw new RetryScheduleError(`Invalid retry schedule "${text}": ${problems.join('; ')}`);
  }
  return schedule;
}

const isoDuration =
  /^P(?:(?<weeks>\d+)W)?(?:(?<days>\d+)D)?(?:T(?:(?<hours>\d+)H)?(?:(?<minutes>\d+)M)?(?:(?<seconds>\d+(?:\.\d+)?)S)?)?$/;

function parseIsoDuration(text: string): number | undefined {
  const groups = isoDuration.exec(text)?.groups;
  // `P` and `PT` alone match the pattern but name no duration.
  if (groups === undefined || text === 'P' || text.endsWith('T')) {
    return undefined;
  }
  const { weeks = '0', days = '0', hours = '0', minutes = '0', seconds = '0' } = groups;
  return Math.round(
    Number(weeks) * 7 * 24 * hour +
      Number(days) * 24 * hour +
      Number(hours) * hour +
      Number(minutes) * minute +
      Number(seconds) * second,
  );
}

/**
 * When to make the next attempt after attempt `attemptNumber` (1 is the first delivery)
 * failed at `now`, or null when that was the last attempt and the delivery has failed.
 *
 * `retryAfterSeconds` is the receiver's Retry-After (429/503): it is honoured as the
 * earliest next attempt, capped at the longest schedule entry so that a receiver cannot
 * hold a delivery back indefinitely.
 */
export function nextAttemptAt(
  attemptNumber: number,
  now: Date,
  schedule: readonly number[] = defaultRetryScheduleMs,
  random: () => number = Math.random,
  retryAfterSeconds?: number,
): Date | null {
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1) {
    throw new RangeError(`attemptNumber must be a positive integer, got ${attemptNumber}`);
  }
  const entry = schedule[attemptNumber - 1];
  if (entry === undefined) {
    return null;
  }
  const jittered = entry / 2 + random() * (entry / 2);
  const requested = retryAfterSeconds === undefined ? 0 : retryAfterSeconds * second;
  const delay = Math.max(jittered, Math.min(requested, Math.max(...schedule)));
  return new Date(now.getTime() + Math.round(delay));
}

/**
 * Reads a Retry-After header: delta seconds (`120`) or an HTTP date, as seconds from `now`
 * (never negative). Undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined, now: Date): number | undefined {
  const value = header?.trim();
  if (value === undefined || value === '') {
    return undefined;
  }
  if (/^\d+$/.test(value)) {
    return Number(value);
  }
  // HTTP dates end in GMT (IMF-fixdate and RFC 850); Date.parse alone accepts almost anything.
  const date = value.endsWith(' GMT') ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now.getTime()) / second));
}
