import { join } from 'node:path';
import { withLock } from '../../config/file-lock.js';
import { logId } from '../../db/log-id.js';
import type { NewEvent } from '../../events/envelope.js';
import { VersionConflictError } from '../../events/expected-version.js';
import { listInstances } from '../../projections/instances.js';
import { listPrewarms } from '../../projections/prewarms.js';
import type { PrewarmRow, PrewarmState } from '../../projections/prewarms.js';
import { LABEL } from '../../runtime/labels.js';
import type { ContainerSummary, ResourceLimits } from '../../runtime/port.js';
import type { InstanceDeps, LaunchImages } from './deps.js';
import { homeView, ofThisHome } from './home-scope.js';
import type { HomeView } from './home-scope.js';
import { newInstanceId, prewarmNames } from './naming.js';
import { networkRequest } from './specs.js';
import { startSidecar } from './sidecar.js';
import { removeInstanceObjects } from './teardown.js';

/**
 * Prewarmed DinD sidecars (ADR 0020): a network, certs volume and TLS-ready sidecar made before any
 * instance, one stream each. The stream version is the lock: adopting or discarding appends at the
 * version that recorded the sidecar ready, so exactly one launch (or reconciler) gets it. A launch
 * adopts one through adopt.ts.
 */

export function prewarmStream(prewarmId: string): string {
  return `prewarm-${prewarmId}`;
}

export type PrewarmDeps = Pick<
  InstanceDeps,
  | 'store'
  | 'db'
  | 'runtime'
  | 'images'
  | 'env'
  | 'owner'
  | 'ownerAlive'
  | 'sidecarTimeoutMs'
  | 'report'
  | 'pauseAfter'
  | 'paths'
>;

type SidecarImage = Awaited<ReturnType<LaunchImages['sidecar']>>;

export interface PrewarmedSidecar {
  readonly id: string;
  readonly sidecar: string;
  readonly network: string;
  readonly readyMs: number;
}

const LIMIT_KEYS = ['memoryBytes', 'nanoCpus', 'pidsLimit'] as const;

export function parseLimits(json: string): ResourceLimits {
  try {
    return JSON.parse(json) as ResourceLimits;
  } catch {
    return {};
  }
}

function sameLimits(a: ResourceLimits, b: ResourceLimits): boolean {
  return LIMIT_KEYS.every((k) => a[k] === b[k]);
}

/**
 * What adopting a sidecar created with `have` takes for a launch that wants `want`: nothing
 * (equal), a `docker update` of the fields that differ, or impossible when the launch wants no limit
 * where the sidecar has one (Docker cannot lift a limit in place).
 */
export function limitsChange(have: ResourceLimits, want: ResourceLimits): ResourceLimits | 'same' | 'no' {
  if (sameLimits(have, want)) return 'same';
  const update: Record<string, number> = {};
  for (const key of LIMIT_KEYS) {
    const wanted = want[key];
    if (wanted === have[key]) continue;
    if (wanted === undefined) return 'no';
    update[key] = wanted;
  }
  return update;
}

/** The state a prewarm stream ends in, and its version (the expected version for the next append). */
export async function streamState(
  deps: Pick<PrewarmDeps, 'store'>,
  id: string,
): Promise<{ state: PrewarmState | undefined; version: number }> {
  const events = await deps.store.readStream(prewarmStream(id));
  const last = events.at(-1);
  const state: Record<string, PrewarmState> = {
    SidecarPrewarmRequested: 'requested',
    SidecarPrewarmed: 'ready',
    SidecarPrewarmAdopted: 'adopted',
    SidecarPrewarmDiscarded: 'discarded',
  };
  return { state: last ? state[last.type] : undefined, version: last?.streamVersion ?? 0 };
}

/**
 * Creates one prewarmed sidecar: SidecarPrewarmRequested, then network, certs volume and sidecar
 * (labelled `dev.jackin.prewarm=<id>` and with the id the adopting instance will take), readiness
 * over mutual TLS, then SidecarPrewarmed. A failure removes what it made and records the discard.
 */
export async function prewarmSidecar(
  deps: PrewarmDeps,
  image: SidecarImage,
  limits: ResourceLimits,
): Promise<PrewarmedSidecar> {
  const id = newInstanceId();
  const names = prewarmNames(id);
  const home = logId(deps.db);
  const who = { prewarmId: id, home };
  const stream = prewarmStream(id);
  const pause = async (stage: string): Promise<void> => {
    if (deps.pauseAfter?.stage === stage) await new Promise((r) => setTimeout(r, deps.pauseAfter?.ms ?? 0));
  };
  await deps.store.append(
    stream,
    [
      {
        type: 'SidecarPrewarmRequested',
        data: { prewarmId: id, names, image: image.image, mode: image.mode, limits, owner: deps.owner },
      },
    ],
    { expectedVersion: 'no_stream' },
  );
  deps.report('prewarm', `${names.sidecar} requested`);
  try {
    const networkId = await deps.runtime.networks.create(networkRequest(names, who));
    deps.report('network', names.network);
    await pause('network');
    const { containerId, readyMs } = await startSidecar(deps, names, who, image, limits);
    deps.report('sidecar', `${names.sidecar} answered over TLS`);
    await pause('sidecar');
    await deps.store.append(
      stream,
      [{ type: 'SidecarPrewarmed', data: { prewarmId: id, containerId, networkId, readyMs } }],
      { expectedVersion: 1 },
    );
    deps.report('prewarm', `${names.sidecar} ready over TLS in ${readyMs} ms`);
    return { id, sidecar: names.sidecar, network: names.network, readyMs };
  } catch (error) {
    await removeInstanceObjects(deps.runtime, id, home).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    await deps.store
      .append(
        stream,
        [{ type: 'SidecarPrewarmDiscarded', data: { prewarmId: id, reason: `failed: ${reason}` } }],
        {
          expectedVersion: 1,
        },
      )
      .catch(() => undefined);
    throw error;
  }
}

/**
 * Gives a prewarmed sidecar up if its stream is still in one of `from`: SidecarPrewarmDiscarded
 * first (at the version read, so a concurrent adoption wins and this returns false), then its
 * objects are removed by label.
 */
export async function discardPrewarm(
  deps: Pick<PrewarmDeps, 'store' | 'runtime' | 'db'>,
  id: string,
  reason: string,
  from: readonly (PrewarmState | undefined)[],
  actor?: 'reconciler',
): Promise<boolean> {
  const { state, version } = await streamState(deps, id);
  if (!from.includes(state)) return false;
  try {
    await deps.store.append(
      prewarmStream(id),
      [{ type: 'SidecarPrewarmDiscarded', data: { prewarmId: id, reason } }],
      { expectedVersion: version === 0 ? 'no_stream' : version, ...(actor ? { actor } : {}) },
    );
  } catch (error) {
    if (error instanceof VersionConflictError) return false;
    throw error;
  }
  await removeInstanceObjects(deps.runtime, id, logId(deps.db));
  return true;
}

export interface PrewarmPool {
  /** Sidecars started now. */
  readonly started: readonly PrewarmedSidecar[];
  /** Ready ones kept as they were. */
  readonly kept: readonly string[];
  /** Discarded: stale (image, mode, limits, stopped) or more than asked for. */
  readonly discarded: readonly { readonly id: string; readonly reason: string }[];
}

/**
 * `jackin prewarm --count N`: exactly N ready sidecars with these limits. Ready ones that no longer
 * fit (another DinD image or mode, other limits, sidecar not running) and any beyond N are
 * discarded; the missing ones are started in parallel. One pool change at a time (a lock file), so
 * parallel loads topping the pool up never overshoot.
 */
export async function ensurePrewarmed(
  deps: PrewarmDeps,
  count: number,
  limits: ResourceLimits,
): Promise<PrewarmPool> {
  return withLock(
    join(deps.paths.data, 'prewarm'),
    async () => {
      const image = await deps.images.sidecar();
      const imageId = (await deps.runtime.images.inspect(image.image))?.id;
      const kept: string[] = [];
      const discarded: { id: string; reason: string }[] = [];
      for (const row of listPrewarms(deps.db, ['ready'])) {
        const details = row.container_id
          ? await deps.runtime.containers.inspect(row.container_id)
          : undefined;
        const reason = !details?.running
          ? 'its sidecar is not running'
          : row.mode !== image.mode || (imageId !== undefined && details.imageId !== imageId)
            ? 'its DinD image or mode is out of date'
            : !sameLimits(parseLimits(row.limits), limits)
              ? 'other resource limits were asked for'
              : kept.length >= count
                ? `more than --count ${count}`
                : undefined;
        if (reason === undefined) kept.push(row.prewarm_id);
        else if (await discardPrewarm(deps, row.prewarm_id, reason, ['ready']))
          discarded.push({ id: row.prewarm_id, reason });
      }
      const inProgress = listPrewarms(deps.db, ['requested']).filter((r) =>
        deps.ownerAlive({ host: r.owner_host, pid: r.owner_pid }),
      ).length;
      const missing = Math.max(0, count - kept.length - inProgress);
      const started = await Promise.all(
        Array.from({ length: missing }, () => prewarmSidecar(deps, image, limits)),
      );
      return { started, kept, discarded };
    },
    { timeoutMs: 180_000, staleMs: 180_000 },
  );
}

/** Ready prewarmed sidecars whose container still runs (for `status` and `doctor`). */
export function readyPrewarms(db: PrewarmDeps['db'], containers: readonly ContainerSummary[]): PrewarmRow[] {
  return listPrewarms(db, ['ready']).filter((row) =>
    containers.some((c) => c.id === row.container_id && c.state === 'running'),
  );
}

export interface PrewarmAction {
  readonly prewarmId: string;
  readonly event: NewEvent['type'];
  readonly detail: string;
}

/** `jackin exile` and `prune`: discards every ready prewarmed sidecar. */
export async function discardReadyPrewarms(
  deps: Pick<PrewarmDeps, 'store' | 'runtime' | 'db'>,
  reason: string,
): Promise<string[]> {
  const gone: string[] = [];
  for (const row of listPrewarms(deps.db, ['ready']))
    if (await discardPrewarm(deps, row.prewarm_id, reason, ['ready'])) gone.push(row.prewarm_id);
  return gone;
}

/**
 * The prewarm half of the reconciler. A prewarm whose process died before it was ready, a ready
 * one whose sidecar stopped, and an adoption whose launch died before recording its instance are
 * discarded (objects removed by label); with `full` (prune) ready ones go too, and labelled objects
 * of discarded or unknown prewarms are removed.
 */
export async function reconcilePrewarms(
  deps: Pick<PrewarmDeps, 'store' | 'runtime' | 'db' | 'ownerAlive'>,
  /** This home's labelled containers (see ofThisHome). */
  containers: readonly ContainerSummary[],
  full: boolean,
  view: HomeView = homeView(deps.db),
): Promise<PrewarmAction[]> {
  const actions: PrewarmAction[] = [];
  const rows = listPrewarms(deps.db);
  const open = rows.filter((r) => r.state !== 'discarded');
  const instances = open.some((r) => r.state === 'adopted')
    ? new Set(listInstances(deps.db).map((r) => r.instance_id))
    : new Set<string>();
  for (const row of open) {
    const id = row.prewarm_id;
    const sidecar = containers.find((c) => c.labels[LABEL.prewarm] === id && c.labels[LABEL.kind] === 'dind');
    let reason: string | undefined;
    if (row.state === 'requested') {
      if (!deps.ownerAlive({ host: row.owner_host, pid: row.owner_pid }))
        reason = 'interrupted: the prewarming process ended before its sidecar was ready';
    } else if (row.state === 'ready') {
      if (sidecar?.state !== 'running') reason = 'its sidecar stopped or is gone';
      else if (full) reason = 'pruned';
    } else if (row.state === 'adopted' && !instances.has(id)) {
      if (!deps.ownerAlive({ host: row.adopter_host ?? '', pid: row.adopter_pid ?? 0 }))
        reason = 'the adopting launch ended before recording its instance';
    }
    if (reason && (await discardPrewarm(deps, id, reason, [row.state], 'reconciler')))
      actions.push({ prewarmId: id, event: 'SidecarPrewarmDiscarded', detail: reason });
  }
  // Leftovers: objects of discarded prewarms (a discard interrupted before its removal) and, in a
  // full pass, objects labelled with a prewarm this log never recorded.
  const state = new Map(rows.map((r) => [r.prewarm_id, r.state]));
  // Only this home's (ADR 0023): another home's prewarms are unknown here but not ours to remove.
  const labelled = full
    ? await Promise.all([
        deps.runtime.networks.list({ labels: { [LABEL.managed]: 'true' } }),
        deps.runtime.volumes.list({ labels: { [LABEL.managed]: 'true' } }),
      ])
    : [[], []];
  const leftover = new Set<string>();
  for (const o of [...containers, ...ofThisHome([...labelled[0], ...labelled[1]], view)]) {
    const id = o.labels[LABEL.prewarm];
    if (id && (state.get(id) === 'discarded' || (full && !state.has(id)))) leftover.add(id);
  }
  for (const id of leftover) {
    if (!state.has(id)) {
      if (await discardPrewarm(deps, id, 'no prewarm in the log owns it', [undefined], 'reconciler'))
        actions.push({ prewarmId: id, event: 'SidecarPrewarmDiscarded', detail: 'unknown prewarm removed' });
      continue;
    }
    const removed = await removeInstanceObjects(deps.runtime, id, view.home);
    if (removed.length > 0)
      actions.push({ prewarmId: id, event: 'SidecarPrewarmDiscarded', detail: 'left-over objects removed' });
  }
  return actions;
}
