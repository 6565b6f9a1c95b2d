/**
 * ISO-8601 durations as workflows use them (`PT15M`, `P3D`, `P1W`). Only fixed-length
 * units are accepted: years and months have no fixed number of seconds, and Step
 * Functions needs whole seconds for Wait and TimeoutSeconds.
 */
export const MAX_DURATION_SECONDS = 365 * 24 * 60 * 60;

const DURATION_PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export type DurationParse = { ok: true; seconds: number } | { ok: false; message: string };

export function parseDuration(text: string): DurationParse {
  const match = DURATION_PATTERN.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) {
    return {
      ok: false,
      message: `"${text}" is not an ISO-8601 duration in weeks, days, hours, minutes and seconds (e.g. PT15M, P3D)`,
    };
  }
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const total = (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds;
  if (total <= 0) return { ok: false, message: 'a duration must be longer than zero' };
  if (total > MAX_DURATION_SECONDS) return { ok: false, message: `"${text}" is longer than P365D` };
  return { ok: true, seconds: total };
}

/** Seconds of a duration already accepted by the schema. */
export function durationSeconds(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.seconds;
}
