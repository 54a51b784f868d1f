import type { SqlStatement, SqliteConnection } from '../db/open.js';
import { LIFECYCLE_EVENT_TYPES, instanceIdOf, instanceStateAfter } from '../domain/instance-state.js';
import type { InstanceState } from '../domain/instance-state.js';
import type { AnyRecordedEvent } from '../events/envelope.js';
import { preparedFor } from './projection.js';
import type { Projection } from './projection.js';

export interface InstanceRow {
  readonly instance_id: string;
  readonly name: string;
  readonly role: string;
  readonly workspace: string;
  readonly runtime: string;
  readonly state: InstanceState;
  readonly agent_status: string | null;
  readonly agent_reason: string | null;
  readonly container_id: string | null;
  readonly sidecar_id: string | null;
  readonly network: string | null;
  readonly image: string | null;
  readonly exit_code: number | null;
  readonly failure: string | null;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly updated_at: string;
  readonly last_position: number;
}

const SQL = {
  insert: `INSERT INTO instances (instance_id, name, role, workspace, runtime, state, created_at, updated_at, last_position)
           VALUES (@id, @name, @role, @workspace, @runtime, 'requested', @at, @at, @pos)
           ON CONFLICT(instance_id) DO NOTHING`,
  state: `SELECT state FROM instances WHERE instance_id = ?`,
  // Hot paths (agent status is the most frequent event): positional parameters, no state lookup.
  agentStatus: `UPDATE instances SET agent_status = ?, agent_reason = ?, updated_at = ?, last_position = ?
                WHERE instance_id = ?`,
  touch: `UPDATE instances SET updated_at = ?, last_position = ? WHERE instance_id = ?`,
  update: `UPDATE instances SET
             state = coalesce(@state, state),
             container_id = coalesce(@containerId, container_id),
             sidecar_id = coalesce(@sidecarId, sidecar_id),
             network = coalesce(@network, network),
             image = coalesce(@image, image),
             exit_code = coalesce(@exitCode, exit_code),
             failure = coalesce(@failure, failure),
             started_at = coalesce(@startedAt, started_at),
             updated_at = @at,
             last_position = @pos
           WHERE instance_id = @id`,
};
const fleetMoving = new Set<string>(LIFECYCLE_EVENT_TYPES);
const cache = new WeakMap<SqliteConnection, Record<string, SqlStatement>>();

function update(
  db: SqliteConnection,
  event: AnyRecordedEvent,
  fields: Partial<Record<string, string | number | null>>,
): void {
  const statements = preparedFor(cache, db, SQL);
  const instanceId = instanceIdOf(event);
  if (instanceId === undefined) return;
  // Only lifecycle events need the current state; status and attach events update in one statement.
  let state: InstanceState | null = null;
  if (fleetMoving.has(event.type)) {
    const current = (statements.state.get(instanceId) as { state: InstanceState } | undefined)?.state;
    if (current === undefined) return;
    state = instanceStateAfter(current, event) ?? null;
  }
  statements.update.run({
    id: instanceId,
    state,
    containerId: null,
    sidecarId: null,
    network: null,
    image: null,
    exitCode: null,
    failure: null,
    startedAt: null,
    at: event.recordedAt,
    pos: event.globalPosition,
    ...fields,
  });
}

/** One row per instance: what `jackin status` and the console list. */
export const instancesProjection: Projection = {
  name: 'instances',
  version: 2,
  tables: ['instances'],
  handles: [
    'InstanceLaunchRequested',
    'InstanceNetworkCreated',
    'InstanceSidecarReady',
    'InstanceWorkspaceMaterialized',
    'InstanceContainerStarted',
    'InstanceAttached',
    'InstanceDetached',
    'InstanceExited',
    'InstanceLaunchFailed',
    'InstanceEjectRequested',
    'InstanceEjected',
    'InstancePurged',
    'InstanceContainerLost',
    'InstanceAdopted',
    'InstanceRestartRequested',
    'InstanceRestarted',
    'InstanceRestartFailed',
    'InstanceEjectFailed',
    'InstanceOrphanRemoved',
    'AgentStatusChanged',
  ],
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS instances (
      instance_id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      workspace TEXT NOT NULL,
      runtime TEXT NOT NULL,
      state TEXT NOT NULL,
      agent_status TEXT,
      agent_reason TEXT,
      container_id TEXT,
      sidecar_id TEXT,
      network TEXT,
      image TEXT,
      exit_code INTEGER,
      failure TEXT,
      created_at TEXT NOT NULL,
      started_at TEXT,
      updated_at TEXT NOT NULL,
      last_position INTEGER NOT NULL
    )`);
  },
  apply(db, event) {
    switch (event.type) {
      case 'InstanceLaunchRequested':
        preparedFor(cache, db, SQL).insert.run({
          id: event.data.instanceId,
          name: event.data.name,
          role: event.data.role,
          workspace: event.data.workspace,
          runtime: event.data.runtime,
          at: event.recordedAt,
          pos: event.globalPosition,
        });
        return;
      case 'InstanceNetworkCreated':
        return update(db, event, { network: event.data.networkName });
      case 'InstanceSidecarReady':
        return update(db, event, { sidecarId: event.data.containerId });
      case 'InstanceContainerStarted':
        return update(db, event, {
          containerId: event.data.containerId,
          image: event.data.image,
          startedAt: event.recordedAt,
        });
      case 'InstanceAdopted':
        return update(db, event, { containerId: event.data.containerId });
      case 'InstanceRestarted':
        return update(db, event, { containerId: event.data.containerId, startedAt: event.recordedAt });
      case 'InstanceRestartFailed':
        return update(db, event, { failure: `restart ${event.data.stage}: ${event.data.reason}` });
      case 'InstanceEjectFailed':
        return update(db, event, { failure: `eject: ${event.data.reason}` });
      case 'InstanceExited':
        return update(db, event, { exitCode: event.data.exitCode });
      case 'InstanceLaunchFailed':
        return update(db, event, { failure: `${event.data.stage}: ${event.data.reason}` });
      case 'InstanceContainerLost':
        return update(db, event, { failure: event.data.reason });
      case 'AgentStatusChanged':
        preparedFor(cache, db, SQL).agentStatus.run(
          event.data.state,
          event.data.reason ?? null,
          event.recordedAt,
          event.globalPosition,
          event.data.instanceId,
        );
        return;
      case 'InstanceAttached':
      case 'InstanceDetached':
        preparedFor(cache, db, SQL).touch.run(event.recordedAt, event.globalPosition, event.data.instanceId);
        return;
      default:
        return update(db, event, {});
    }
  },
};

export interface InstanceQuery {
  readonly states?: readonly InstanceState[];
  readonly workspace?: string;
}

/** Instances, newest first. */
export function listInstances(db: SqliteConnection, query: InstanceQuery = {}): InstanceRow[] {
  const where: string[] = [];
  const params: string[] = [];
  if (query.states?.length) {
    where.push(`state IN (${query.states.map(() => '?').join(', ')})`);
    params.push(...query.states);
  }
  if (query.workspace) {
    where.push('workspace = ?');
    params.push(query.workspace);
  }
  const sql = `SELECT * FROM instances ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, instance_id`;
  return db.prepare(sql).all(...params) as InstanceRow[];
}

/** One instance by id or unique name/id prefix. */
export function findInstance(db: SqliteConnection, idOrName: string): InstanceRow[] {
  return db
    .prepare(
      `SELECT * FROM instances WHERE instance_id = ? OR name = ? OR instance_id LIKE ? ORDER BY created_at DESC`,
    )
    .all(idOrName, idOrName, `${idOrName.replace(/[%_]/g, '')}%`) as InstanceRow[];
}
