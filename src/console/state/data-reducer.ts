import type { FleetChanges, FleetInstance, FleetView, HistoryEntry } from '../ports.js';
import { groupByWorkspace, selectableIds } from '../model/fleet-groups.js';
import { sortTasks } from '../model/task-order.js';
import { HISTORY_CAP, displayedView } from './state.js';
import type { ConsoleState } from './state.js';

/** Instance ids the fleet cursor walks, in display order. */
export function fleetIds(state: ConsoleState): string[] {
  return selectableIds(groupByWorkspace(displayedView(state).instances, { showEnded: state.showEnded }));
}

function firstOr<T>(current: T | null, candidates: readonly T[]): T | null {
  if (current !== null && candidates.includes(current)) return current;
  return candidates[0] ?? null;
}

/** Keeps every selection pointing at something that exists in the displayed view. */
export function reconcileSelection(state: ConsoleState): ConsoleState {
  const view = displayedView(state);
  const selectedInstance = firstOr(state.selectedInstance, fleetIds(state));
  const selectedTask = firstOr(
    state.selectedTask,
    sortTasks(view.tasks).map((t) => t.id),
  );
  const selectedLink = firstOr(
    state.selectedLink,
    view.links.map((l) => l.ref),
  );
  if (
    selectedInstance === state.selectedInstance &&
    selectedTask === state.selectedTask &&
    selectedLink === state.selectedLink
  )
    return state;
  return { ...state, selectedInstance, selectedTask, selectedLink };
}

function capped(entries: readonly HistoryEntry[]): readonly HistoryEntry[] {
  return entries.length > HISTORY_CAP ? entries.slice(entries.length - HISTORY_CAP) : entries;
}

export function applySnapshot(
  state: ConsoleState,
  view: FleetView,
  history: readonly HistoryEntry[],
): ConsoleState {
  const unseenDone = new Set(
    view.instances.filter((i) => i.state === 'running' && i.agentStatus === 'done').map((i) => i.id),
  );
  return reconcileSelection({ ...state, loaded: true, live: view, history: capped(history), unseenDone });
}

/**
 * Upserts changed rows. A transition into `done` is unseen until the operator looks (moves onto the
 * row or attaches); any other status clears it.
 */
export function applyChanges(state: ConsoleState, changes: FleetChanges): ConsoleState {
  if (changes.position <= state.live.position) return state;
  const byId = new Map<string, FleetInstance>(state.live.instances.map((i) => [i.id, i]));
  const unseenDone = new Set(state.unseenDone);
  const attached = new Set(
    changes.history.filter((e) => e.type === 'InstanceAttached').map((e) => e.streamId),
  );
  for (const next of changes.instances) {
    const previous = byId.get(next.id);
    byId.set(next.id, next);
    if (next.agentStatus !== 'done' || next.state !== 'running') unseenDone.delete(next.id);
    else if (previous?.agentStatus !== 'done') unseenDone.add(next.id);
    if (attached.has(`instance-${next.id}`)) unseenDone.delete(next.id);
  }
  const live: FleetView = {
    ...state.live,
    position: changes.position,
    recordedAt: changes.recordedAt,
    instances: [...byId.values()],
    tasks: changes.tasks ?? state.live.tasks,
    links: changes.links ?? state.live.links,
  };
  const filteredHistory =
    state.historyStream === null
      ? state.filteredHistory
      : capped([
          ...state.filteredHistory,
          ...changes.history.filter((e) => e.streamId === state.historyStream),
        ]);
  return reconcileSelection({
    ...state,
    live,
    unseenDone,
    history: capped([...state.history, ...changes.history]),
    filteredHistory,
  });
}

export function startTimeTravel(state: ConsoleState): ConsoleState {
  if (state.timeTravel) return state;
  if (state.live.position === 0) {
    return {
      ...state,
      notice: { tone: 'info', text: 'the log is empty: no past to travel to', at: state.now },
    };
  }
  return {
    ...state,
    overlay: null,
    timeTravel: { target: state.live.position, view: state.live, history: state.history },
  };
}

export function scrubTimeTravel(state: ConsoleState, delta: number): ConsoleState {
  if (!state.timeTravel) return state;
  const target = Math.min(state.live.position, Math.max(1, state.timeTravel.target + delta));
  if (target === state.timeTravel.target) return state;
  return { ...state, timeTravel: { ...state.timeTravel, target } };
}

export function loadTimeTravel(
  state: ConsoleState,
  view: FleetView,
  history: readonly HistoryEntry[],
): ConsoleState {
  if (!state.timeTravel) return state;
  return reconcileSelection({ ...state, timeTravel: { ...state.timeTravel, view, history } });
}

export function endTimeTravel(state: ConsoleState): ConsoleState {
  if (!state.timeTravel) return state;
  return reconcileSelection({ ...state, timeTravel: null });
}
