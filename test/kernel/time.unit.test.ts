import { describe, expect, it } from 'vitest';
import { parseDuration, parseTimeBound } from '../../src/kernel/time.js';

const now = new Date('2026-11-25T12:00:00.000Z');

describe('durations and time bounds', () => {
  it('parses durations with units', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('60m')).toBe(3_600_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1d')).toBe(86_400_000);
  });

  it('rejects durations without a unit or with junk, naming the flag', () => {
    expect(() => parseDuration('10', '--task-timeout')).toThrow("invalid --task-timeout '10'");
    expect(() => parseDuration('ten minutes')).toThrow(/invalid duration/);
  });

  it('reads relative bounds as "ago" and ISO bounds as given', () => {
    expect(parseTimeBound('10m', now, '--since').toISOString()).toBe('2026-11-25T11:50:00.000Z');
    expect(parseTimeBound('2026-11-01T00:00:00Z', now, '--since').toISOString()).toBe(
      '2026-11-01T00:00:00.000Z',
    );
    expect(parseTimeBound('2026-11-01', now, '--until').toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('refuses what it cannot read', () => {
    for (const bad of ['yesterday', '2026-13-45', '', 'now']) {
      expect(() => parseTimeBound(bad, now, '--since')).toThrow(/invalid --since/);
    }
  });
});
