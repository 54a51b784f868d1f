import { moveSelection } from '../model/fleet-groups.js';
import { sortTasks } from '../model/task-order.js';
import type { LaunchChoices } from '../ports.js';
import type { ConsoleAction } from './actions.js';
import {
  applyChanges,
  applySnapshot,
  endTimeTravel,
  fleetIds,
  loadTimeTravel,
  reconcileSelection,
  scrubTimeTravel,
  startTimeTravel,
} from './data-reducer.js';
import { SCREENS, displayedView } from './state.js';
import type { ConsoleState, Overlay } from './state.js';

const NOTICE_MS = 6_000;

type LaunchOverlay = Extract<Overlay, { kind: 'launch' }>;

/** The items the launch picker offers at its current step. */
export function pickerItems(overlay: LaunchOverlay): readonly string[] {
  switch (overlay.step) {
    case 'workspace':
      return overlay.choices.workspaces.map((w) => w.name);
    case 'role':
      return overlay.choices.workspaces.find((w) => w.name === overlay.workspace)?.roles ?? [];
    case 'runtime':
      return overlay.choices.runtimes;
  }
}

function indexOr(items: readonly string[], value: string | null): number {
  const index = value === null ? -1 : items.indexOf(value);
  return index === -1 ? 0 : index;
}

function openLaunch(state: ConsoleState, choices: LaunchChoices): ConsoleState {
  if (choices.workspaces.length === 0) {
    return {
      ...state,
      notice: {
        tone: 'error',
        text: 'no workspaces to launch in: create one with `jackin workspace create`',
        at: state.now,
      },
    };
  }
  return {
    ...state,
    overlay: { kind: 'launch', step: 'workspace', choices, cursor: 0, workspace: null, role: null },
  };
}

function choose(state: ConsoleState, overlay: LaunchOverlay): ConsoleState {
  const picked = pickerItems(overlay)[overlay.cursor];
  if (picked === undefined) return state;
  const workspace = overlay.choices.workspaces.find((w) => w.name === (overlay.workspace ?? picked));
  switch (overlay.step) {
    case 'workspace':
      return {
        ...state,
        overlay: {
          ...overlay,
          step: 'role',
          workspace: picked,
          cursor: indexOr(workspace?.roles ?? [], workspace?.defaultRole ?? null),
        },
      };
    case 'role':
      return {
        ...state,
        overlay: {
          ...overlay,
          step: 'runtime',
          role: picked,
          cursor: indexOr(overlay.choices.runtimes, workspace?.defaultRuntime ?? null),
        },
      };
    case 'runtime': {
      const request = { workspace: overlay.workspace ?? '', role: overlay.role ?? '', runtime: picked };
      return {
        ...state,
        overlay: {
          kind: 'confirm',
          title: `Launch ${request.role} (${request.runtime}) in ${request.workspace}?`,
          lines: null,
          command: { kind: 'launch', request },
        },
      };
    }
  }
}

function back(state: ConsoleState, overlay: LaunchOverlay): ConsoleState {
  switch (overlay.step) {
    case 'workspace':
      return { ...state, overlay: null };
    case 'role':
      return {
        ...state,
        overlay: {
          ...overlay,
          step: 'workspace',
          cursor: indexOr(pickerItems({ ...overlay, step: 'workspace' }), overlay.workspace),
        },
      };
    case 'runtime':
      return {
        ...state,
        overlay: {
          ...overlay,
          step: 'role',
          cursor: indexOr(pickerItems({ ...overlay, step: 'role' }), overlay.role),
        },
      };
  }
}

function moveCursor(state: ConsoleState, delta: number): ConsoleState {
  if (state.overlay?.kind === 'launch') {
    const count = pickerItems(state.overlay).length;
    const cursor = Math.min(Math.max(0, state.overlay.cursor + delta), Math.max(0, count - 1));
    return { ...state, overlay: { ...state.overlay, cursor } };
  }
  const view = displayedView(state);
  switch (state.screen) {
    case 'fleet': {
      const selected = moveSelection(fleetIds(state), state.selectedInstance, delta);
      return viewInstance({ ...state, selectedInstance: selected }, selected);
    }
    case 'queue':
      return {
        ...state,
        selectedTask: moveSelection(
          sortTasks(view.tasks).map((t) => t.id),
          state.selectedTask,
          delta,
        ),
      };
    case 'links':
      return {
        ...state,
        selectedLink: moveSelection(
          view.links.map((l) => l.ref),
          state.selectedLink,
          delta,
        ),
      };
    case 'history':
      return state;
  }
}

/** Looking at a done instance (live) marks it seen. */
function viewInstance(state: ConsoleState, instanceId: string | null): ConsoleState {
  if (instanceId === null || state.timeTravel || !state.unseenDone.has(instanceId)) return state;
  const unseenDone = new Set(state.unseenDone);
  unseenDone.delete(instanceId);
  return { ...state, unseenDone };
}

function toggleHistoryFilter(state: ConsoleState): ConsoleState {
  if (state.historyStream !== null) return { ...state, historyStream: null, filteredHistory: [] };
  const stream =
    state.screen === 'queue'
      ? state.selectedTask && `task-${state.selectedTask}`
      : state.selectedInstance && `instance-${state.selectedInstance}`;
  if (!stream) {
    return {
      ...state,
      notice: { tone: 'info', text: 'select an instance or task to filter by', at: state.now },
    };
  }
  return {
    ...state,
    historyStream: stream,
    filteredHistory: state.history.filter((e) => e.streamId === stream),
  };
}

export function consoleReducer(state: ConsoleState, action: ConsoleAction): ConsoleState {
  switch (action.type) {
    case 'snapshotLoaded':
      return applySnapshot(state, action.view, action.history);
    case 'changesArrived':
      return applyChanges(state, action.changes);
    case 'resourcesSampled':
      return { ...state, resources: action.samples };
    case 'filteredHistoryLoaded':
      return action.stream === state.historyStream ? { ...state, filteredHistory: action.entries } : state;
    case 'tick':
      return {
        ...state,
        now: action.now,
        notice: state.notice && action.now - state.notice.at >= NOTICE_MS ? null : state.notice,
      };
    case 'resized':
      return { ...state, size: action.size };
    case 'screenSelected':
      return { ...state, screen: action.screen, overlay: null };
    case 'screenCycled': {
      const index = SCREENS.indexOf(state.screen);
      const next = SCREENS[(index + action.delta + SCREENS.length) % SCREENS.length] ?? 'fleet';
      return { ...state, screen: next, overlay: null };
    }
    case 'cursorMoved':
      return moveCursor(state, action.delta);
    case 'helpToggled':
      return { ...state, overlay: state.overlay?.kind === 'help' ? null : { kind: 'help' } };
    case 'showEndedToggled':
      return reconcileSelection({ ...state, showEnded: !state.showEnded });
    case 'historyFilterToggled':
      return toggleHistoryFilter(state);
    case 'instanceViewed':
      return viewInstance(state, action.instanceId);
    case 'timeTravelStarted':
      return startTimeTravel(state);
    case 'timeTravelScrubbed':
      return scrubTimeTravel(state, action.delta);
    case 'timeTravelLoaded':
      return loadTimeTravel(state, action.view, action.history);
    case 'timeTravelEnded':
      return endTimeTravel(state);
    case 'confirmRequested':
      return {
        ...state,
        overlay: { kind: 'confirm', title: action.title, lines: action.lines, command: action.command },
      };
    case 'confirmLinesLoaded':
      return state.overlay?.kind === 'confirm'
        ? { ...state, overlay: { ...state.overlay, lines: action.lines } }
        : state;
    case 'launchOpened':
      return openLaunch(state, action.choices);
    case 'pickerChosen':
      return state.overlay?.kind === 'launch' ? choose(state, state.overlay) : state;
    case 'pickerBack':
      return state.overlay?.kind === 'launch' ? back(state, state.overlay) : state;
    case 'overlayClosed':
      return { ...state, overlay: null };
    case 'noticeShown':
      return { ...state, notice: action.notice };
    case 'noticeCleared':
      return state.notice ? { ...state, notice: null } : state;
  }
}
