import type { SqlStatement, SqliteConnection } from '../db/open.js';
import { preparedFor } from './projection.js';
import type { Projection } from './projection.js';

export type PrewarmState = 'requested' | 'ready' | 'adopted' | 'discarded';

/** One row per prewarmed sidecar (streams `prewarm-<id>`), ADR 0020. */
export interface PrewarmRow {
  readonly prewarm_id: string;
  readonly state: PrewarmState;
  readonly sidecar: string;
  readonly network: string;
  readonly certs: string;
  readonly image: string;
  readonly mode: string;
  /** JSON of the limits it was created with ({memoryBytes?, nanoCpus?, pidsLimit?}). */
  readonly limits: string;
  readonly owner_host: string;
  readonly owner_pid: number;
  readonly container_id: string | null;
  readonly network_id: string | null;
  readonly ready_ms: number | null;
  readonly instance_id: string | null;
  readonly adopter_host: string | null;
  readonly adopter_pid: number | null;
  readonly reason: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly last_position: number;
}

const SQL = {
  insert: `INSERT INTO prewarms (prewarm_id, state, sidecar, network, certs, image, mode, limits, owner_host,
             owner_pid, created_at, updated_at, last_position)
           VALUES (@id, 'requested', @sidecar, @network, @certs, @image, @mode, @limits, @host, @pid, @at, @at, @pos)
           ON CONFLICT(prewarm_id) DO NOTHING`,
  ready: `UPDATE prewarms SET state = 'ready', container_id = @containerId, network_id = @networkId,
            ready_ms = @readyMs, updated_at = @at, last_position = @pos WHERE prewarm_id = @id`,
  adopted: `UPDATE prewarms SET state = 'adopted', instance_id = @instanceId, adopter_host = @host,
              adopter_pid = @pid, updated_at = @at, last_position = @pos WHERE prewarm_id = @id`,
  // A discard with no earlier event (objects found without a stream) still gets a row.
  discarded: `INSERT INTO prewarms (prewarm_id, state, sidecar, network, certs, image, mode, limits, owner_host,
                owner_pid, reason, created_at, updated_at, last_position)
              VALUES (@id, 'discarded', '', '', '', '', '', '{}', '', 0, @reason, @at, @at, @pos)
              ON CONFLICT(prewarm_id) DO UPDATE SET state = 'discarded', reason = excluded.reason,
                updated_at = excluded.updated_at, last_position = excluded.last_position`,
};
const cache = new WeakMap<SqliteConnection, Record<string, SqlStatement>>();

export const prewarmsProjection: Projection = {
  name: 'prewarms',
  version: 1,
  tables: ['prewarms'],
  handles: [
    'SidecarPrewarmRequested',
    'SidecarPrewarmed',
    'SidecarPrewarmAdopted',
    'SidecarPrewarmDiscarded',
  ],
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS prewarms (
      prewarm_id TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      sidecar TEXT NOT NULL,
      network TEXT NOT NULL,
      certs TEXT NOT NULL,
      image TEXT NOT NULL,
      mode TEXT NOT NULL,
      limits TEXT NOT NULL,
      owner_host TEXT NOT NULL,
      owner_pid INTEGER NOT NULL,
      container_id TEXT,
      network_id TEXT,
      ready_ms REAL,
      instance_id TEXT,
      adopter_host TEXT,
      adopter_pid INTEGER,
      reason TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      last_position INTEGER NOT NULL
    )`);
    db.exec('CREATE INDEX IF NOT EXISTS prewarms_state ON prewarms (state)');
  },
  apply(db, event) {
    const s = preparedFor(cache, db, SQL);
    const at = event.recordedAt;
    const pos = event.globalPosition;
    switch (event.type) {
      case 'SidecarPrewarmRequested':
        s.insert.run({
          id: event.data.prewarmId,
          sidecar: event.data.names.sidecar,
          network: event.data.names.network,
          certs: event.data.names.certs,
          image: event.data.image,
          mode: event.data.mode,
          limits: JSON.stringify(event.data.limits),
          host: event.data.owner.host,
          pid: event.data.owner.pid,
          at,
          pos,
        });
        break;
      case 'SidecarPrewarmed':
        s.ready.run({
          id: event.data.prewarmId,
          containerId: event.data.containerId,
          networkId: event.data.networkId,
          readyMs: event.data.readyMs,
          at,
          pos,
        });
        break;
      case 'SidecarPrewarmAdopted':
        s.adopted.run({
          id: event.data.prewarmId,
          instanceId: event.data.instanceId,
          host: event.data.owner.host,
          pid: event.data.owner.pid,
          at,
          pos,
        });
        break;
      case 'SidecarPrewarmDiscarded':
        s.discarded.run({ id: event.data.prewarmId, reason: event.data.reason, at, pos });
        break;
      default:
        break;
    }
  },
};

/** Prewarmed sidecars, oldest first, optionally only in some states. */
export function listPrewarms(db: SqliteConnection, states?: readonly PrewarmState[]): PrewarmRow[] {
  const rows = db.prepare('SELECT * FROM prewarms ORDER BY created_at, prewarm_id').all() as PrewarmRow[];
  return states ? rows.filter((r) => states.includes(r.state)) : rows;
}
