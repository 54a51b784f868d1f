import { describe, expect, it } from 'vitest';
import { ERROR_CODES, EXIT_CODES, JackinError, exitCodeFor } from '../../src/kernel/errors.js';
import { toJackinError } from '../../src/cli/errors.js';
import { VersionConflictError } from '../../src/events/expected-version.js';

describe('the one exit-code table', () => {
  it('maps every error code to an exit code from SPEC.md (0-5)', () => {
    const allowed = new Set(Object.values(EXIT_CODES));
    for (const code of Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]) {
      const exit = exitCodeFor(code);
      expect(allowed.has(exit as 0 | 1 | 2 | 3 | 4 | 5), code).toBe(true);
      expect(exit, code).toBeGreaterThan(0);
    }
  });

  it('gives the SPEC.md codes for the categories', () => {
    expect(EXIT_CODES).toEqual({
      ok: 0,
      failed: 1,
      usage: 2,
      not_found: 3,
      conflict: 4,
      docker_unavailable: 5,
    });
    expect(new JackinError('usage', 'x').exitCode).toBe(2);
    expect(new JackinError('not_found', 'x').exitCode).toBe(3);
    expect(new VersionConflictError('s', 1, 2).exitCode).toBe(4);
    expect(new JackinError('docker_unavailable', 'x').exitCode).toBe(5);
    expect(new JackinError('database_corrupt', 'x').exitCode).toBe(1);
  });
});

describe('errors nothing else caught', () => {
  it('a busy SQLite log becomes `locked` (exit 4) with a hint, not a raw "database is locked"', () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const mapped = toJackinError(busy);
    expect(mapped.code).toBe('locked');
    expect(mapped.exitCode).toBe(4);
    expect(mapped.message).toBe('the event log stayed locked by another jackin process');
    expect(mapped.hint).toMatch(/retry/);
    expect(toJackinError(new Error('boom')).code).toBe('internal');
  });
});
