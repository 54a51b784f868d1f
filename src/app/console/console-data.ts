import type { SqliteConnection } from '../../db/open.js';
import { decodeRowForProjection } from '../../events/codec.js';
import type { SqliteEventStore } from '../../events/sqlite-store.js';
import { listInstances } from '../../projections/instances.js';
import type { InstanceRow } from '../../projections/instances.js';
import type { Projection } from '../../projections/projection.js';
import { replayToMemory } from '../../projections/projector.js';
import type {
  ConsoleData,
  FleetChanges,
  FleetInstance,
  FleetView,
  HistoryEntry,
  LaunchChoices,
  LaunchRequest,
  LinkRow,
  QueueTask,
  ResourceSample,
} from '../../console/ports.js';
import { toFleetInstance, toHistoryEntry } from './rows.js';

/** Samples CPU/memory of containers by id (a Docker stats call; the console calls it every few seconds). */
export interface ResourceSampler {
  sample(containerIds: readonly string[]): Promise<ReadonlyMap<string, ResourceSample>>;
}

/**
 * Reads the task queue and links from their projections. Issue 7 plugs its `tasks`/`links`
 * projections in here; until then the panes say they are not available.
 */
export interface QueueReader {
  tasks(db: SqliteConnection): readonly QueueTask[];
  links(db: SqliteConnection): readonly LinkRow[];
  /** Event types that change what tasks()/links() return. */
  readonly handles: ReadonlySet<string>;
}

export interface ConsoleDataDeps {
  readonly store: SqliteEventStore;
  readonly projections: readonly Projection[];
  readonly sampler: ResourceSampler;
  readonly queue?: QueueReader;
  readonly launchChoices: () => Promise<LaunchChoices>;
  readonly explain: (request: LaunchRequest) => Promise<readonly string[]>;
}

/** Each instance's most recent link (a pull request wins over an issue). */
function withLinks(instances: FleetInstance[], links: readonly LinkRow[]): FleetInstance[] {
  if (links.length === 0) return instances;
  const byInstance = new Map<string, LinkRow>();
  for (const link of links) {
    for (const subject of link.subjects) {
      const current = byInstance.get(subject);
      if (!current || (current.kind === 'issue' && link.kind === 'pull')) byInstance.set(subject, link);
    }
  }
  return instances.map((i) => {
    const link = byInstance.get(i.id);
    return link ? { ...i, link: { ref: link.ref, url: link.url, kind: link.kind, state: link.state } } : i;
  });
}

/** Newest events kept for the history tail when a burst lands between two polls. */
const TAIL_LIMIT = 500;

/** The console's data port over the SQLite log: projections for state, positions for following. */
export function createConsoleData(deps: ConsoleDataDeps): ConsoleData & { close(): void } {
  const { store } = deps;
  const db = store.db;
  const changedSince = db.prepare('SELECT * FROM instances WHERE last_position > ?');
  const recordedAt = db.prepare('SELECT recorded_at FROM events WHERE global_position = ?');
  const at = (position: number): string | null =>
    (recordedAt.get(position) as { recorded_at: string } | undefined)?.recorded_at ?? null;
  const past = pastReplayer(db, store, deps.projections);
  let lastLinks: readonly LinkRow[] = [];

  const view = (source: SqliteConnection, position: number, when: string | null): FleetView => {
    const links = deps.queue?.links(source) ?? [];
    return {
      position,
      recordedAt: when,
      instances: withLinks(listInstances(source).map(toFleetInstance), links),
      tasks: deps.queue?.tasks(source) ?? [],
      links,
      queueAvailable: deps.queue !== undefined,
      linksAvailable: deps.queue !== undefined,
    };
  };

  return {
    snapshot() {
      // Position first: rows read after it may be newer, and the next poll re-reads them (idempotent).
      const position = store.lastPositionSync();
      const live = view(db, position, at(position));
      lastLinks = live.links;
      return Promise.resolve(live);
    },
    async changesSince(position) {
      const head = store.lastPositionSync();
      if (head <= position) return undefined;
      const events = await store.readAll({ after: position, upTo: head, limit: TAIL_LIMIT, tail: true });
      const queueMoved = deps.queue !== undefined && events.some((e) => deps.queue?.handles.has(e.type));
      const links = queueMoved && deps.queue ? deps.queue.links(db) : undefined;
      const changed = (changedSince.all(position) as InstanceRow[]).map(toFleetInstance);
      // A link change re-attaches links to every instance; otherwise only touched rows are re-read.
      const instances = links ? withLinks(listInstances(db).map(toFleetInstance), links) : changed;
      const changes: FleetChanges = {
        position: head,
        recordedAt: events.at(-1)?.recordedAt ?? at(head),
        instances: links ? instances : withLinks(changed, lastLinks),
        history: events.map(toHistoryEntry),
        ...(queueMoved && deps.queue ? { tasks: deps.queue.tasks(db), links: links ?? [] } : {}),
      };
      if (links) lastLinks = links;
      return changes;
    },
    async history(query) {
      const events = await store.readAll({
        limit: query.limit,
        tail: true,
        upTo: query.upTo,
        streamIds: query.streamIds,
      });
      return events.map(toHistoryEntry) satisfies HistoryEntry[];
    },
    replayAt(position) {
      const memory = past.at(position);
      return Promise.resolve(view(memory, position, at(position)));
    },
    async sampleResources(instances: readonly FleetInstance[]) {
      const byContainer = new Map<string, string>();
      for (const instance of instances)
        if (instance.containerId) byContainer.set(instance.containerId, instance.id);
      if (byContainer.size === 0) return {};
      const samples = await deps.sampler.sample([...byContainer.keys()]);
      const out: Record<string, ResourceSample> = {};
      for (const [containerId, sample] of samples) {
        const instanceId = byContainer.get(containerId);
        if (instanceId) out[instanceId] = sample;
      }
      return out;
    },
    launchChoices: deps.launchChoices,
    explain: deps.explain,
    close: () => past.close(),
  };
}

/**
 * Keeps one in-memory replay and moves it forward by applying only the events in between;
 * scrubbing backwards replays from position 0 (the projector's replay machinery).
 */
function pastReplayer(db: SqliteConnection, store: SqliteEventStore, projections: readonly Projection[]) {
  let memory: SqliteConnection | undefined;
  let position = 0;
  const types = [...new Set(projections.flatMap((p) => p.handles))];
  return {
    at(target: number): SqliteConnection {
      if (!memory || target < position) {
        memory?.close();
        memory = replayToMemory(db, projections, target);
        position = target;
        return memory;
      }
      if (target > position) {
        const into = memory;
        into.transaction(() => {
          for (const row of store.iterateRows({ after: position, upTo: target, types })) {
            const event = decodeRowForProjection(row);
            for (const projection of projections)
              if (projection.handles.includes(event.type)) projection.apply(into, event);
          }
        })();
        position = target;
      }
      return memory;
    },
    close(): void {
      memory?.close();
      memory = undefined;
    },
  };
}
