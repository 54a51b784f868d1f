import type { SqlStatement, SqliteConnection } from '../db/open.js';
import { LIFECYCLE_EVENT_TYPES, instanceIdOf, instanceStateAfter } from '../domain/instance-state.js';
import type { InstanceState } from '../domain/instance-state.js';
import { preparedFor } from './projection.js';
import type { Projection } from './projection.js';

const SQL = {
  member: 'SELECT state FROM fleet_members WHERE instance_id = ?',
  upsertMember: `INSERT INTO fleet_members (instance_id, state) VALUES (?, ?)
                 ON CONFLICT(instance_id) DO UPDATE SET state = excluded.state`,
  dec: 'UPDATE fleet SET count = count - 1 WHERE state = ?',
  inc: `INSERT INTO fleet (state, count) VALUES (?, 1) ON CONFLICT(state) DO UPDATE SET count = count + 1`,
};
const cache = new WeakMap<SqliteConnection, Record<string, SqlStatement>>();

/** Counts of instances by lifecycle state: the console's header and `jackin status` summary. */
export const fleetProjection: Projection = {
  name: 'fleet',
  version: 1,
  tables: ['fleet', 'fleet_members'],
  handles: LIFECYCLE_EVENT_TYPES,
  setup(db) {
    db.exec('CREATE TABLE IF NOT EXISTS fleet (state TEXT PRIMARY KEY, count INTEGER NOT NULL)');
    db.exec('CREATE TABLE IF NOT EXISTS fleet_members (instance_id TEXT PRIMARY KEY, state TEXT NOT NULL)');
  },
  apply(db, event) {
    const statements = preparedFor(cache, db, SQL);
    const instanceId = instanceIdOf(event);
    if (instanceId === undefined) return;
    const previous = (statements.member.get(instanceId) as { state: InstanceState } | undefined)?.state;
    if (previous === undefined && event.type !== 'InstanceLaunchRequested') return;
    const next = instanceStateAfter(previous, event);
    if (next === undefined || next === previous) return;
    if (previous !== undefined) statements.dec.run(previous);
    statements.inc.run(next);
    statements.upsertMember.run(instanceId, next);
  },
};

export type FleetCounts = Partial<Record<InstanceState, number>> & { total: number };

export function fleetCounts(db: SqliteConnection): FleetCounts {
  const rows = db.prepare('SELECT state, count FROM fleet WHERE count > 0 ORDER BY state').all() as {
    state: InstanceState;
    count: number;
  }[];
  const counts: FleetCounts = { total: 0 };
  for (const row of rows) {
    counts[row.state] = row.count;
    counts.total += row.count;
  }
  return counts;
}
