import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultRetryScheduleMs,
  nextAttemptAt,
  parseRetryAfter,
  parseRetrySchedule,
  RetryScheduleError,
} from '../../../shared/webhooks/retry-schedule.js';

const now = new Date('2026-11-26T10:00:00.000Z');
const delayAfter = (attempt: number, random: () => number, retryAfterSeconds?: number) =>
  (nextAttemptAt(attempt, now, defaultRetryScheduleMs, random, retryAfterSeconds)?.getTime() ?? Number.NaN) -
  now.getTime();

describe('defaultRetryScheduleMs', () => {
  it('is 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(defaultRetryScheduleMs).toEqual(parseRetrySchedule('PT5S,PT5M,PT30M,PT2H,PT5H,PT10H,PT10H'));
  });
});

describe('parseRetrySchedule', () => {
  it('reads comma-separated ISO-8601 durations as milliseconds', () => {
    expect(parseRetrySchedule('PT1S,PT2S')).toEqual([1000, 2000]);
    expect(parseRetrySchedule(' PT0.5S , PT1M30S,P1DT2H,P1W ')).toEqual([
      500,
      90_000,
      26 * 3_600_000,
      7 * 24 * 3_600_000,
    ]);
  });

  it('lists every bad entry in one error', () => {
    expect(() => parseRetrySchedule('PT1S,soon,P1M,PT0S,PT')).toThrow(
      new RetryScheduleError(
        'Invalid retry schedule "PT1S,soon,P1M,PT0S,PT": ' +
          'entry 2 "soon" is not an ISO-8601 duration such as PT30S, PT5M or P1D; ' +
          'entry 3 "P1M" is not an ISO-8601 duration such as PT30S, PT5M or P1D; ' +
          'entry 4 "PT0S" must be longer than zero; ' +
          'entry 5 "PT" is not an ISO-8601 duration such as PT30S, PT5M or P1D',
      ),
    );
  });

  it('refuses an empty schedule and empty entries', () => {
    expect(() => parseRetrySchedule('')).toThrow(RetryScheduleError);
    expect(() => parseRetrySchedule('PT1S,,PT2S')).toThrow(/entry 2 ""/);
  });
});

describe('nextAttemptAt', () => {
  it('waits between half of and the full schedule entry (equal jitter)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: defaultRetryScheduleMs.length }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, random) => {
          const entry = defaultRetryScheduleMs[attempt - 1] ?? Number.NaN;
          const delay = delayAfter(attempt, () => random);
          expect(delay).toBeGreaterThanOrEqual(entry / 2);
          expect(delay).toBeLessThanOrEqual(entry);
        },
      ),
    );
  });

  it('spreads retries across the jitter window with the random source', () => {
    expect(delayAfter(1, () => 0)).toBe(2500);
    expect(delayAfter(1, () => 0.5)).toBe(3750);
    expect(delayAfter(2, () => 0.999_999)).toBe(300_000);
  });

  it('gives up after the last entry of the schedule', () => {
    expect(nextAttemptAt(7, now, defaultRetryScheduleMs, () => 0.5)).not.toBeNull();
    expect(nextAttemptAt(8, now, defaultRetryScheduleMs, () => 0.5)).toBeNull();
    expect(nextAttemptAt(2, now, parseRetrySchedule('PT1S'), () => 0.5)).toBeNull();
  });

  it('waits at least as long as the receiver asks with Retry-After', () => {
    expect(delayAfter(1, () => 0, 60)).toBe(60_000);
    expect(delayAfter(3, () => 0, 60)).toBe(900_000);
  });

  it('caps Retry-After at the longest schedule entry', () => {
    expect(delayAfter(1, () => 0, 7 * 24 * 3600)).toBe(10 * 3_600_000);
  });

  it('still gives up after the last attempt when the receiver asks to retry later', () => {
    expect(nextAttemptAt(8, now, defaultRetryScheduleMs, () => 0, 60)).toBeNull();
  });

  it('refuses attempt numbers below one', () => {
    expect(() => nextAttemptAt(0, now)).toThrow(RangeError);
    expect(() => nextAttemptAt(1.5, now)).toThrow(RangeError);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date as seconds from now, never negative', () => {
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:02:00 GMT', now)).toBe(120);
    expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unreadable header', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});
