import { JackinError } from '../kernel/errors.js';

/** Whether SQLite refused because another connection holds the log (SQLITE_BUSY and its variants). */
export function isBusy(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_BUSY');
}

/** The one error a log that stayed busy becomes: `locked` (exit 4), with what to do about it. */
export function lockedLog(cause: unknown, path?: string): JackinError {
  const log = path === undefined ? 'the event log' : `the event log at ${path}`;
  return new JackinError('locked', `${log} stayed locked by another jackin process`, {
    hint: 'retry; if it persists, check for a stuck jackin process',
    cause,
  });
}
