import { isDeepStrictEqual } from 'node:util';
import type { SqliteConnection } from '../db/open.js';
import { dumpProjection, replayToMemory } from './projector.js';
import type { Projection } from './projection.js';

/** Names of projections whose stored tables differ from a fresh in-memory rebuild. */
export function diffProjections(db: SqliteConnection, which: readonly Projection[]): string[] {
  const head = (
    db.prepare('SELECT coalesce(max(global_position), 0) AS p FROM events').get() as { p: number }
  ).p;
  const fresh = replayToMemory(db, which, head);
  try {
    return which
      .filter(
        (projection) => !isDeepStrictEqual(dumpProjection(db, projection), dumpProjection(fresh, projection)),
      )
      .map((projection) => projection.name);
  } finally {
    fresh.close();
  }
}
