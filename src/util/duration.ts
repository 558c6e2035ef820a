import {ReproError} from './errors';

const UNIT_SECONDS: Readonly<Record<string, number>> = {s: 1, m: 60, min: 60, h: 3600, d: 86400};

/**
 * "2.5h", "90min", "1h30m", "45m", "600s" → seconds. A number without a unit is refused: "3" could
 * mean hours or minutes, and a budget read the wrong way trains the wrong runs.
 */
export function parseDuration(text: string, option: string): number {
  const parts = /^\s*(?:\d+(?:\.\d+)?\s*(?:min|s|m|h|d)\s*)+$/.test(text) ? [...text.matchAll(/(\d+(?:\.\d+)?)\s*(min|s|m|h|d)/g)] : [];
  const seconds = parts.reduce((a, p) => a + Number(p[1]) * UNIT_SECONDS[p[2]], 0);
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    throw new ReproError(`${option}: "${text}" is not a duration`,
      {expected: 'a positive number with a unit: s, m or min, h, d; parts may be combined (e.g. 2.5h, 90min, 1h30m)'});
  }
  return seconds;
}
