import type { SqliteConnection } from '../db/open.js';
import type { EventRow } from './codec.js';
import { GENESIS_HASH, eventHash } from './hash.js';

export interface ChainProblem {
  readonly position: number;
  readonly problem: string;
}

export interface ChainReport {
  readonly events: number;
  readonly headPosition: number;
  readonly firstProblem: ChainProblem | undefined;
}

/**
 * Walks the hash chain from position 1: every row must hash to its stored hash, link to the previous
 * row's hash, and follow it without a gap; the stored head must match the last row.
 */
export function verifyChain(db: SqliteConnection): ChainReport {
  let prev = GENESIS_HASH;
  let expectedPosition = 1;
  let count = 0;
  let firstProblem: ChainProblem | undefined;
  const rows = db
    .prepare('SELECT * FROM events ORDER BY global_position')
    .iterate() as IterableIterator<EventRow>;
  for (const row of rows) {
    count += 1;
    if (firstProblem) continue;
    if (row.global_position !== expectedPosition) {
      firstProblem = {
        position: expectedPosition,
        problem: `event missing (next row is #${row.global_position})`,
      };
    } else if (row.prev_hash !== prev) {
      firstProblem = {
        position: row.global_position,
        problem: 'does not link to the previous event (edited or reordered)',
      };
    } else if (eventHash(row) !== row.hash) {
      firstProblem = { position: row.global_position, problem: 'content does not match its hash (edited)' };
    }
    prev = row.hash;
    expectedPosition = row.global_position + 1;
  }
  // AUTOINCREMENT's high-water mark never goes back: a higher value than the last row means the newest
  // events were deleted.
  const sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get() as
    { seq: number } | undefined;
  const headPosition = sequence?.seq ?? 0;
  const lastPosition = expectedPosition - 1;
  if (!firstProblem && headPosition > lastPosition) {
    firstProblem = {
      position: lastPosition + 1,
      problem: `log ends at #${lastPosition} but positions up to #${headPosition} were written (events deleted)`,
    };
  }
  return { events: count, headPosition, firstProblem };
}
