import type {
  FleetInstance,
  FleetView,
  HistoryEntry,
  LaunchChoices,
  LaunchRequest,
  ResourceSample,
} from '../ports.js';

export const SCREENS = ['fleet', 'queue', 'links', 'history'] as const;
export type ScreenId = (typeof SCREENS)[number];

export const SCREEN_TITLES: Record<ScreenId, string> = {
  fleet: 'Fleet',
  queue: 'Queue',
  links: 'Links',
  history: 'History',
};

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/** The smallest terminal the console promises to render in without overflow. */
export const MIN_SIZE: TerminalSize = { columns: 80, rows: 24 };

/** An action that waits for the operator's confirmation. */
export type PendingCommand =
  | { readonly kind: 'eject'; readonly instanceId: string; readonly name: string }
  | { readonly kind: 'cancelTask'; readonly taskId: string }
  | { readonly kind: 'launch'; readonly request: LaunchRequest };

export type LaunchStep = 'workspace' | 'role' | 'runtime';

export type Overlay =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'confirm';
      readonly title: string;
      /** Body lines; null while they are being resolved (the explain contract). */
      readonly lines: readonly string[] | null;
      readonly command: PendingCommand;
    }
  | {
      readonly kind: 'launch';
      readonly step: LaunchStep;
      readonly choices: LaunchChoices;
      readonly cursor: number;
      readonly workspace: string | null;
      readonly role: string | null;
    };

export interface Notice {
  readonly tone: 'info' | 'error';
  readonly text: string;
  readonly at: number;
}

/** Scrubbing through the past: the position asked for and the view replayed for it. */
export interface TimeTravel {
  readonly target: number;
  /** The replayed view; its position lags `target` while a replay is running. */
  readonly view: FleetView | null;
  readonly history: readonly HistoryEntry[];
}

export interface ConsoleState {
  readonly loaded: boolean;
  readonly screen: ScreenId;
  readonly overlay: Overlay | null;
  readonly live: FleetView;
  /** The live tail of the log, newest last, capped. */
  readonly history: readonly HistoryEntry[];
  /** When set, history shows only this stream (the selected instance or task). */
  readonly historyStream: string | null;
  readonly filteredHistory: readonly HistoryEntry[];
  readonly timeTravel: TimeTravel | null;
  readonly resources: Readonly<Record<string, ResourceSample>>;
  /** Instances whose agent finished (`done`) and the operator has not looked at since. */
  readonly unseenDone: ReadonlySet<string>;
  readonly selectedInstance: string | null;
  readonly selectedTask: string | null;
  readonly selectedLink: string | null;
  readonly showEnded: boolean;
  readonly notice: Notice | null;
  readonly now: number;
  readonly size: TerminalSize;
}

export const HISTORY_CAP = 500;

export const EMPTY_VIEW: FleetView = {
  position: 0,
  recordedAt: null,
  instances: [],
  tasks: [],
  links: [],
  queueAvailable: false,
  linksAvailable: false,
};

export function initialConsoleState(now: number, size: TerminalSize): ConsoleState {
  return {
    loaded: false,
    screen: 'fleet',
    overlay: null,
    live: EMPTY_VIEW,
    history: [],
    historyStream: null,
    filteredHistory: [],
    timeTravel: null,
    resources: {},
    unseenDone: new Set(),
    selectedInstance: null,
    selectedTask: null,
    selectedLink: null,
    showEnded: false,
    notice: null,
    now,
    size,
  };
}

/** What the screens show: the replayed past while time travelling, else the live view. */
export function displayedView(state: ConsoleState): FleetView {
  return state.timeTravel?.view ?? (state.timeTravel ? EMPTY_VIEW : state.live);
}

export function displayedHistory(state: ConsoleState): readonly HistoryEntry[] {
  if (state.timeTravel) return state.timeTravel.history;
  return state.historyStream === null ? state.history : state.filteredHistory;
}

export function selectedInstance(state: ConsoleState): FleetInstance | undefined {
  return displayedView(state).instances.find((i) => i.id === state.selectedInstance);
}

/** "Now" for uptimes: the wall clock live, the replayed event's time in the past. */
export function displayedNow(state: ConsoleState): number {
  if (!state.timeTravel) return state.now;
  const at = state.timeTravel.view?.recordedAt;
  return at ? Date.parse(at) : state.now;
}
