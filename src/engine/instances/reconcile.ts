import { isLive, isUnresolved } from '../../domain/instance-state.js';
import { logId } from '../../db/log-id.js';
import type { NewEvent } from '../../events/envelope.js';
import type { EventStore } from '../../events/store.js';
import { listInstances } from '../../projections/instances.js';
import type { InstanceRow } from '../../projections/instances.js';
import { listPrewarms } from '../../projections/prewarms.js';
import { LABEL, managedFilter } from '../../runtime/labels.js';
import type { ContainerRuntime, ContainerSummary } from '../../runtime/port.js';
import type { InstanceDeps } from './deps.js';
import { instanceFacts } from './eject.js';
import { homeView, ofThisHome, splitByHome } from './home-scope.js';
import type { HomeView } from './home-scope.js';
import { InstanceWriter, instanceStream, latest } from './instance-stream.js';
import { removeCheckout } from './isolation.js';
import { removeInstanceObjects } from './teardown.js';

export interface ReconcileOptions {
  /** Also remove objects nothing owns (prune, doctor): lists networks and volumes too. */
  readonly full: boolean;
}

export interface ReconcileAction {
  readonly instanceId: string;
  readonly event: NewEvent['type'];
  readonly detail: string;
}

/** Appends reconciler events at the version read, so a concurrent writer wins and we skip. */
async function record(store: EventStore, instanceId: string, events: NewEvent[]): Promise<boolean> {
  const writer = await InstanceWriter.open(store, instanceId, 'reconciler');
  try {
    await writer.append(...events);
    return true;
  } catch {
    return false;
  }
}

function groupByInstance(containers: readonly ContainerSummary[]): Map<string, ContainerSummary[]> {
  const map = new Map<string, ContainerSummary[]>();
  for (const c of containers) {
    const id = c.labels[LABEL.instance];
    if (!id) continue;
    map.set(id, [...(map.get(id) ?? []), c]);
  }
  return map;
}

/**
 * Compares the instance projections with Docker (by label) and records what actually happened:
 * an unfinished launch whose process died is adopted (its role container runs) or cleaned up and
 * failed; an unfinished eject is finished; a running instance whose container stopped is Exited,
 * or ContainerLost when it is gone; with `full`, objects no live instance owns are removed.
 * Only this home's objects are looked at (ADR 0023): other homes' on the same engine are left alone.
 */
export async function reconcileInstances(
  deps: InstanceDeps,
  options: ReconcileOptions,
): Promise<ReconcileAction[]> {
  const actions: ReconcileAction[] = [];
  const note = async (row: { instance_id: string }, events: NewEvent[], detail: string): Promise<void> => {
    if (events.length > 0 && (await record(deps.store, row.instance_id, events))) {
      for (const event of events) actions.push({ instanceId: row.instance_id, event: event.type, detail });
    }
  };
  const view = homeView(deps.db);
  const containers = ofThisHome(
    await deps.runtime.containers.list({ labels: managedFilter(), all: true }),
    view,
  );
  // Prewarmed sidecars first (ADR 0020): interrupted or stopped ones are discarded, with `full` all.
  if (prewarmsToReconcile(deps, containers, options.full)) {
    const { reconcilePrewarms } = await import('./prewarm.js');
    for (const a of await reconcilePrewarms(deps, containers, options.full, view))
      actions.push({ instanceId: a.prewarmId, event: a.event, detail: a.detail });
  }
  const byInstance = groupByInstance(containers);
  const rows = listInstances(deps.db);
  for (const row of rows) {
    const objects = byInstance.get(row.instance_id) ?? [];
    const role = objects.find((c) => c.labels[LABEL.kind] === 'role');
    if (isUnresolved(row.state)) {
      await resolveIntent(deps, row, role, note);
    } else if (row.state === 'running') {
      if (!role) {
        await note(
          row,
          [
            {
              type: 'InstanceContainerLost',
              data: { instanceId: row.instance_id, reason: 'the role container is gone' },
            },
          ],
          'gone',
        );
      } else if (role.state !== 'running' && role.state !== 'restarting') {
        const details = await deps.runtime.containers.inspect(role.id);
        await note(
          row,
          [
            {
              type: 'InstanceExited',
              data: {
                instanceId: row.instance_id,
                exitCode: details?.exitCode ?? -1,
                oomKilled: details?.oomKilled ?? false,
              },
            },
          ],
          `stopped (${details?.exitCode ?? '?'})`,
        );
      }
    } else if (row.state === 'exited' && !role) {
      await note(
        row,
        [
          {
            type: 'InstanceContainerLost',
            data: { instanceId: row.instance_id, reason: 'the stopped role container was removed' },
          },
        ],
        'gone',
      );
    } else if (options.full && !isLive(row.state) && objects.length > 0) {
      await removeOrphans(deps, row.instance_id, note, `left behind by a ${row.state} instance`);
    }
  }
  if (options.full) {
    const live = listInstances(deps.db).filter((r) => isLive(r.state));
    await removeUnknown(deps, new Set(live.map((r) => r.instance_id)), note, homeView(deps.db));
  }
  return actions;
}

type Note = (row: { instance_id: string }, events: NewEvent[], detail: string) => Promise<void>;

/**
 * Whether reconcilePrewarms has anything to look at: a full pass, a prewarm that is not discarded,
 * or one of this home's containers labelled with a prewarm (left over by an interrupted discard).
 * Otherwise the cheap pass (eject, status, hardline) does not load the prewarm module and what it
 * imports to start sidecars (mTLS readiness, https, proxy detection).
 */
function prewarmsToReconcile(
  deps: Pick<InstanceDeps, 'db'>,
  containers: readonly ContainerSummary[],
  full: boolean,
): boolean {
  return (
    full ||
    listPrewarms(deps.db).some((p) => p.state !== 'discarded') ||
    containers.some((c) => c.labels[LABEL.prewarm] !== undefined)
  );
}

async function resolveIntent(
  deps: InstanceDeps,
  row: InstanceRow,
  role: ContainerSummary | undefined,
  note: Note,
): Promise<void> {
  const events = await deps.store.readStream(instanceStream(row.instance_id));
  const intent =
    row.state === 'ejecting'
      ? latest(events, 'InstanceEjectRequested')
      : latest(events, 'InstanceLaunchRequested');
  if (deps.ownerAlive(intent?.owner)) return;
  if (row.state === 'ejecting') {
    const removed = await removeInstanceObjects(deps.runtime, row.instance_id, logId(deps.db));
    await note(
      row,
      [
        {
          type: 'InstanceEjected',
          data: { instanceId: row.instance_id, kept: [], removed: removed.map((o) => o.name) },
        },
      ],
      'eject finished',
    );
    return;
  }
  if (role && role.state === 'running') {
    await note(
      row,
      [{ type: 'InstanceAdopted', data: { instanceId: row.instance_id, containerId: role.id } }],
      'launch finished before its process died',
    );
    return;
  }
  const removed = await removeInstanceObjects(deps.runtime, row.instance_id, logId(deps.db));
  const facts = await instanceFacts(deps, row);
  for (const checkout of facts.checkouts) await removeCheckout(checkout, deps.env).catch(() => undefined);
  const stageReached =
    [...events].reverse().find((e) => e.type !== 'InstanceLaunchRequested')?.type ??
    'InstanceLaunchRequested';
  await note(
    row,
    [
      ...(removed.length > 0
        ? [
            {
              type: 'InstanceOrphanRemoved' as const,
              data: { instanceId: row.instance_id, objects: removed, reason: 'interrupted launch' },
            },
          ]
        : []),
      {
        type: 'InstanceLaunchFailed',
        data: {
          instanceId: row.instance_id,
          stage: 'interrupted',
          reason: `the launching process ended after ${stageReached}`,
        },
      },
    ],
    `interrupted launch, removed ${removed.length} object(s)`,
  );
}

async function removeOrphans(
  deps: InstanceDeps,
  instanceId: string,
  note: Note,
  reason: string,
): Promise<void> {
  const removed = await removeInstanceObjects(deps.runtime, instanceId, logId(deps.db));
  if (removed.length === 0) return;
  await note(
    { instance_id: instanceId },
    [{ type: 'InstanceOrphanRemoved', data: { instanceId, objects: removed, reason } }],
    reason,
  );
}

/**
 * This home's labelled objects (containers, networks, volumes) of instances the log does not know
 * as live. Another home's objects, and unlabelled ones whose instance this log never recorded, stay.
 */
async function removeUnknown(
  deps: InstanceDeps,
  live: Set<string>,
  note: Note,
  view: HomeView,
): Promise<void> {
  const filter = managedFilter();
  const [containers, networks, volumes] = await Promise.all([
    deps.runtime.containers.list({ labels: filter, all: true }),
    deps.runtime.networks.list({ labels: filter }),
    deps.runtime.volumes.list({ labels: filter }),
  ]);
  const owners = new Set<string>();
  const prewarmed = new Set<string>();
  for (const o of ofThisHome([...containers, ...networks, ...volumes], view)) {
    const id = o.labels[LABEL.instance];
    if (id && !live.has(id)) owners.add(id);
    if (id && o.labels[LABEL.prewarm]) prewarmed.add(id);
  }
  for (const id of owners) {
    // A launch that just started has objects before this process saw its intent: leave it alone.
    const events = await deps.store.readStream(instanceStream(id));
    const intent = latest(events, 'InstanceLaunchRequested');
    // A prewarmed sidecar no instance adopted is the prewarm reconciler's (reconcilePrewarms).
    if (!intent && prewarmed.has(id)) continue;
    if (intent && deps.ownerAlive(intent.owner) && events.length > 0) {
      const last = events.at(-1)?.type;
      if (last !== 'InstanceLaunchFailed' && last !== 'InstanceEjected') continue;
    }
    await removeOrphans(
      deps,
      id,
      note,
      intent ? 'owned by an instance that is no longer live' : 'no instance in the log owns it',
    );
  }
}

/** What a reconcile pass would do now, without doing it (`jackin doctor`). */
export interface ReconcileSurvey {
  /** Running or exited instances whose role container is gone (would record ContainerLost). */
  readonly gone: readonly string[];
  /** Running instances whose role container stopped (would record Exited). */
  readonly stopped: readonly string[];
  /** Unfinished launches or ejects whose process is gone (would be adopted or cleaned up). */
  readonly interrupted: readonly string[];
  /** This home's labelled containers, networks and volumes no live instance owns (`prune` removes them). */
  readonly orphans: number;
  /** Instance objects labelled with another jackin home on this engine (left alone, ADR 0023). */
  readonly otherHomes: number;
  /** Instance objects with no home label (an older jackin) whose instance this log never recorded. */
  readonly unclaimed: number;
  /** Running interactive instances without a live status watcher (undefined: not checked). */
  readonly unwatched?: readonly string[] | undefined;
  /** Prewarmed sidecars ready for the next launch (ADR 0020). */
  readonly prewarmed?: readonly string[] | undefined;
}

export interface SurveyOptions {
  /** Whether the instance's status watcher runs; omit when watchers are turned off. */
  readonly watcherRunning?: ((row: InstanceRow) => boolean) | undefined;
  /** Instances that run headless (task attempts): they have no session to watch. */
  readonly headless?: ReadonlySet<string>;
}

/** The read-only half of reconcileInstances: the same comparison, reported instead of recorded. */
export async function surveyInstances(
  deps: Pick<InstanceDeps, 'db' | 'store' | 'ownerAlive'> & {
    readonly runtime: {
      readonly containers: Pick<ContainerRuntime['containers'], 'list'>;
      readonly networks: Pick<ContainerRuntime['networks'], 'list'>;
      readonly volumes: Pick<ContainerRuntime['volumes'], 'list'>;
    };
  },
  options: SurveyOptions = {},
): Promise<ReconcileSurvey> {
  const filter = managedFilter();
  const [allContainers, networks, volumes] = await Promise.all([
    deps.runtime.containers.list({ labels: filter, all: true }),
    deps.runtime.networks.list({ labels: filter }),
    deps.runtime.volumes.list({ labels: filter }),
  ]);
  const view = homeView(deps.db);
  const split = splitByHome([...allContainers, ...networks, ...volumes], view);
  const containers = ofThisHome(allContainers, view);
  const byInstance = groupByInstance(containers);
  const rows = listInstances(deps.db);
  const gone: string[] = [];
  const stopped: string[] = [];
  const interrupted: string[] = [];
  const unwatched: string[] = [];
  for (const row of rows) {
    const role = (byInstance.get(row.instance_id) ?? []).find((c) => c.labels[LABEL.kind] === 'role');
    if (isUnresolved(row.state)) {
      const events = await deps.store.readStream(instanceStream(row.instance_id));
      const intent =
        row.state === 'ejecting'
          ? latest(events, 'InstanceEjectRequested')
          : latest(events, 'InstanceLaunchRequested');
      if (!deps.ownerAlive(intent?.owner)) interrupted.push(row.instance_id);
    } else if (row.state === 'running') {
      if (!role) gone.push(row.instance_id);
      else if (role.state !== 'running' && role.state !== 'restarting') stopped.push(row.instance_id);
      else if (
        options.watcherRunning &&
        !options.headless?.has(row.instance_id) &&
        !options.watcherRunning(row)
      )
        unwatched.push(row.instance_id);
    } else if (row.state === 'exited' && !role) {
      gone.push(row.instance_id);
    }
  }
  const live = new Set(rows.filter((r) => isLive(r.state)).map((r) => r.instance_id));
  // Prewarms: ready ones are listed, dead ones count as interrupted; their objects are not orphans
  // while the prewarm is open (requested, ready, or adopted by a launch that has not recorded yet).
  const prewarms = listPrewarms(deps.db);
  const known = new Set(rows.map((r) => r.instance_id));
  const open = new Set(
    prewarms
      .filter(
        (p) =>
          p.state === 'requested' ||
          p.state === 'ready' ||
          (p.state === 'adopted' && !known.has(p.prewarm_id)),
      )
      .map((p) => p.prewarm_id),
  );
  const { readyPrewarms } = await import('./prewarm.js');
  const ready = readyPrewarms(deps.db, containers).map((p) => p.prewarm_id);
  for (const p of prewarms) {
    const dead =
      (p.state === 'requested' && !deps.ownerAlive({ host: p.owner_host, pid: p.owner_pid })) ||
      (p.state === 'ready' && !ready.includes(p.prewarm_id));
    if (dead) interrupted.push(p.prewarm_id);
  }
  const orphans = split.mine.filter((o) => {
    const id = o.labels[LABEL.instance];
    if (id !== undefined && o.labels[LABEL.prewarm] && open.has(id)) return false;
    return id !== undefined && !live.has(id);
  }).length;
  return {
    gone,
    stopped,
    interrupted,
    orphans,
    otherHomes: split.otherHomes.length,
    unclaimed: split.unclaimed.length,
    unwatched: options.watcherRunning ? unwatched : undefined,
    prewarmed: ready.length > 0 ? ready : undefined,
  };
}
