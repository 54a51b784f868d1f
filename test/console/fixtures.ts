import type {
  ConsoleActions,
  ConsoleData,
  FleetInstance,
  FleetView,
  HistoryEntry,
  LaunchChoices,
  QueueTask,
  ResourceSample,
} from '../../src/console/ports.js';
import type { NewEvent } from '../../src/events/envelope.js';
import { instanceStateAfter } from '../../src/domain/instance-state.js';
import type { InstanceState } from '../../src/domain/instance-state.js';
import type { AnyRecordedEvent } from '../../src/events/envelope.js';

export const T0 = Date.parse('2026-11-01T10:00:00.000Z');

/** A fixture event as the log would hold it: one second apart from T0. */
export interface LoggedEvent {
  readonly position: number;
  readonly streamId: string;
  readonly event: NewEvent;
  readonly recordedAt: string;
}

function instanceIdOf(event: NewEvent): string {
  return (event.data as { instanceId: string }).instanceId;
}

/** Folds instance events into the console's fleet rows (the test twin of the instances projection). */
export function foldFleet(log: readonly LoggedEvent[]): FleetInstance[] {
  const rows = new Map<string, FleetInstance>();
  for (const { event, position, recordedAt } of log) {
    const id = instanceIdOf(event);
    if (event.type === 'InstanceLaunchRequested') {
      rows.set(id, {
        id,
        name: event.data.name,
        workspace: event.data.workspace,
        role: event.data.role,
        runtime: event.data.runtime,
        state: 'requested',
        agentStatus: 'unknown',
        agentReason: null,
        containerId: null,
        startedAt: null,
        failure: null,
        link: null,
        lastPosition: position,
      });
      continue;
    }
    const row = rows.get(id);
    if (!row) continue;
    let next: FleetInstance = { ...row, lastPosition: position };
    if (event.type === 'AgentStatusChanged')
      next = { ...next, agentStatus: event.data.state, agentReason: event.data.reason ?? null };
    if (event.type === 'InstanceContainerStarted')
      next = { ...next, containerId: event.data.containerId, startedAt: recordedAt };
    const state = instanceStateAfter(
      row.state as InstanceState,
      {
        type: event.type,
        data: event.data,
      } as unknown as AnyRecordedEvent,
    );
    if (state) next = { ...next, state };
    rows.set(id, next);
  }
  return [...rows.values()];
}

export function launched(
  id: string,
  workspace: string,
  extra: { role?: string; runtime?: string } = {},
): NewEvent[] {
  return [
    {
      type: 'InstanceLaunchRequested',
      data: {
        instanceId: id,
        name: `jackin-${id}`,
        role: extra.role ?? 'agent-smith',
        workspace,
        runtime: extra.runtime ?? 'claude',
        contract: {},
      },
    },
    {
      type: 'InstanceNetworkCreated',
      data: { instanceId: id, networkId: `n-${id}`, networkName: `net-${id}` },
    },
    {
      type: 'InstanceContainerStarted',
      data: { instanceId: id, containerId: `c-${id}`, image: 'jackin/role' },
    },
  ];
}

export function status(
  id: string,
  state: 'working' | 'blocked' | 'idle' | 'done',
  reason?: string,
): NewEvent {
  return { type: 'AgentStatusChanged', data: { instanceId: id, state, ...(reason ? { reason } : {}) } };
}

/** Two workspaces, four instances: working, blocked, done, idle. */
export function demoFleetEvents(): NewEvent[] {
  return [
    ...launched('a1', 'alpha'),
    status('a1', 'working'),
    ...launched('a2', 'alpha', { role: 'the-architect', runtime: 'codex' }),
    status('a2', 'blocked', 'approval'),
    ...launched('b1', 'beta'),
    status('b1', 'done'),
    ...launched('b2', 'beta', { runtime: 'amp' }),
    status('b2', 'idle'),
  ];
}

function entryOf(logged: LoggedEvent): HistoryEntry {
  const data = logged.event.data as Record<string, unknown>;
  const summary = Object.entries(data)
    .filter(([k, v]) => k !== 'instanceId' && (typeof v === 'string' || typeof v === 'number'))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return {
    position: logged.position,
    recordedAt: logged.recordedAt,
    streamId: logged.streamId,
    type: logged.event.type,
    summary,
  };
}

export interface FakeData extends ConsoleData {
  /** Appends events as if another process wrote them. */
  append(...events: NewEvent[]): void;
  readonly log: LoggedEvent[];
  replays: number[];
  tasks: QueueTask[] | undefined;
  samples: Record<string, ResourceSample>;
}

/** An in-memory ConsoleData over a list of fixture events (what the SQLite adapter does, minus SQL). */
export function fakeData(
  initial: readonly NewEvent[] = demoFleetEvents(),
  choices?: LaunchChoices,
): FakeData {
  const log: LoggedEvent[] = [];
  const viewAt = (position: number, fake: FakeData): FleetView => {
    const upTo = log.filter((e) => e.position <= position);
    return {
      position,
      recordedAt: upTo.at(-1)?.recordedAt ?? null,
      instances: foldFleet(upTo),
      tasks: fake.tasks ?? [],
      links: [],
      queueAvailable: fake.tasks !== undefined,
      linksAvailable: false,
    };
  };
  const fake: FakeData = {
    log,
    replays: [],
    tasks: undefined,
    samples: {},
    append(...events) {
      for (const event of events) {
        const position = log.length + 1;
        log.push({
          position,
          streamId: `instance-${instanceIdOf(event)}`,
          event,
          recordedAt: new Date(T0 + position * 1000).toISOString(),
        });
      }
    },
    snapshot: () => Promise.resolve(viewAt(log.length, fake)),
    changesSince(position) {
      if (log.length <= position) return Promise.resolve(undefined);
      const fresh = log.slice(position);
      const touched = new Set(fresh.map((e) => instanceIdOf(e.event)));
      return Promise.resolve({
        position: log.length,
        recordedAt: fresh.at(-1)?.recordedAt ?? null,
        instances: foldFleet(log).filter((i) => touched.has(i.id)),
        history: fresh.map(entryOf),
      });
    },
    history(query) {
      const upTo = query.upTo ?? log.length;
      const entries = log
        .filter((e) => e.position <= upTo && (!query.streamIds || query.streamIds.includes(e.streamId)))
        .map(entryOf);
      return Promise.resolve(entries.slice(Math.max(0, entries.length - query.limit)));
    },
    replayAt(position) {
      fake.replays.push(position);
      return Promise.resolve(viewAt(position, fake));
    },
    sampleResources: (instances) =>
      Promise.resolve(
        Object.fromEntries(
          instances.flatMap((i) => (fake.samples[i.id] ? [[i.id, fake.samples[i.id]!]] : [])),
        ),
      ),
    launchChoices: () =>
      Promise.resolve(
        choices ?? {
          workspaces: [
            {
              name: 'alpha',
              roles: ['agent-smith', 'the-architect'],
              defaultRole: 'the-architect',
              defaultRuntime: 'codex',
            },
            { name: 'beta', roles: ['agent-smith'], defaultRole: null, defaultRuntime: null },
          ],
          runtimes: ['claude', 'codex', 'amp'],
        },
      ),
    explain: (request) =>
      Promise.resolve([`workdir /work/${request.workspace}`, 'mounts:', '  /src/app -> /work (rw, shared)']),
  };
  fake.append(...initial);
  return fake;
}

export interface RecordedCall {
  readonly action: keyof ConsoleActions;
  readonly args: readonly unknown[];
}

/** Actions that record their calls; `fail` makes one of them reject with a message. */
export function recordingActions(fail: Partial<Record<keyof ConsoleActions, string>> = {}) {
  const calls: RecordedCall[] = [];
  const make =
    (action: keyof ConsoleActions) =>
    (...args: unknown[]): Promise<void> => {
      calls.push({ action, args });
      const message = fail[action];
      return message ? Promise.reject(new Error(message)) : Promise.resolve();
    };
  const actions: ConsoleActions = {
    launch: make('launch'),
    reattach: make('reattach'),
    newSession: make('newSession'),
    eject: make('eject'),
    retryTask: make('retryTask'),
    cancelTask: make('cancelTask'),
    openLink: make('openLink'),
  };
  return { actions, calls };
}
