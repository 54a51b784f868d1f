import { JackinError } from '../kernel/errors.js';

/**
 * What the writer believes about a stream before appending. A number is the exact current version
 * (0 = empty); the sentinels are checked strictly, never treated as "no check" except `any`.
 */
export type ExpectedVersion = number | 'no_stream' | 'stream_exists' | 'any';

export const NO_STREAM = 'no_stream' as const;
export const STREAM_EXISTS = 'stream_exists' as const;
export const ANY = 'any' as const;

export class VersionConflictError extends JackinError {
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  readonly actual: number;

  constructor(streamId: string, expected: ExpectedVersion, actual: number) {
    super('version_conflict', `stream ${streamId} is at version ${actual}, expected ${String(expected)}`, {
      hint: 'someone else changed it at the same time; re-read and retry',
      details: { streamId, expected, actual },
    });
    this.name = 'VersionConflictError';
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

/** Throws VersionConflictError unless `actual` satisfies `expected`. */
export function assertExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === 0) ||
    (expected === 'stream_exists' && actual > 0) ||
    (typeof expected === 'number' && expected === actual);
  if (!ok) throw new VersionConflictError(streamId, expected, actual);
}
