import { CommanderError } from 'commander';
import { isBusy, lockedLog } from '../db/busy.js';
import { JackinError, isJackinError } from '../kernel/errors.js';
import type { CliIo } from './io.js';
import { writeJson, writeLine } from './io.js';

/** Maps anything thrown to a JackinError (commander usage errors become `usage`, a busy SQLite log `locked`). */
export function toJackinError(error: unknown): JackinError {
  if (isJackinError(error)) return error;
  if (error instanceof CommanderError) {
    const message = error.message.replace(/^error: /, '');
    return new JackinError('usage', message, { hint: 'see `jackin --help`' });
  }
  // Every known path retries or waits on a busy log; this is the net for one that does not.
  if (isBusy(error)) return lockedLog(error);
  const message = error instanceof Error ? error.message : String(error);
  return new JackinError('internal', message, { cause: error });
}

/**
 * Set `details[RESULT_PRINTED]` on an error thrown after a command already wrote its `--json` result
 * (e.g. doctor's failed checks): the exit code still comes from the error, but no second JSON document.
 */
export const RESULT_PRINTED = 'resultPrinted';

/** One line `jackin: <message>` plus an optional hint; JSON shape under --json. Returns the exit code. */
export function reportError(
  io: CliIo,
  error: JackinError,
  options: { json: boolean; debug: boolean },
): number {
  if (options.json && error.details?.[RESULT_PRINTED] !== true) {
    writeJson(io.stdout, {
      ...error.json,
      error: { code: error.code, message: error.message, hint: error.hint ?? null },
    });
  }
  writeLine(io.stderr, `jackin: ${error.message}`);
  if (error.hint) writeLine(io.stderr, `hint: ${error.hint}`);
  if (options.debug && error.stack) writeLine(io.stderr, error.stack);
  return error.exitCode;
}
