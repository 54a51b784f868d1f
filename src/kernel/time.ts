import { UsageError } from './errors.js';

const RELATIVE = /^(\d+)\s*(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Parses a duration such as `90s`, `60m`, `2h` into milliseconds. */
export function parseDuration(text: string, flag = 'duration'): number {
  const match = RELATIVE.exec(text.trim());
  if (!match) {
    throw new UsageError(`invalid ${flag} '${text}'`, {
      hint: 'use a number with a unit: 500ms, 30s, 10m, 2h, 1d',
    });
  }
  return Number(match[1]) * (UNIT_MS[match[2]!] ?? 1);
}

/** Parses an absolute ISO time or a relative one (`10m` = ten minutes ago). */
export function parseTimeBound(text: string, now: Date, flag: string): Date {
  const trimmed = text.trim();
  if (RELATIVE.test(trimmed)) return new Date(now.getTime() - parseDuration(trimmed, flag));
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    const parsed = new Date(trimmed);
    if (!Number.isNaN(parsed.getTime())) return parsed;
  }
  throw new UsageError(`invalid ${flag} '${text}'`, {
    hint: 'use an ISO time (2026-11-25T10:00:00Z) or a relative one (30s, 10m, 2h, 1d)',
  });
}
