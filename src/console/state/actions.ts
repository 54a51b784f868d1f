import type { FleetChanges, FleetView, HistoryEntry, LaunchChoices, ResourceSample } from '../ports.js';
import type { Notice, PendingCommand, ScreenId, TerminalSize } from './state.js';

/** Everything that can change the console's state. The reducer is pure over this union. */
export type ConsoleAction =
  // data in
  | { readonly type: 'snapshotLoaded'; readonly view: FleetView; readonly history: readonly HistoryEntry[] }
  | { readonly type: 'changesArrived'; readonly changes: FleetChanges }
  | { readonly type: 'resourcesSampled'; readonly samples: Readonly<Record<string, ResourceSample>> }
  | {
      readonly type: 'filteredHistoryLoaded';
      readonly stream: string;
      readonly entries: readonly HistoryEntry[];
    }
  | { readonly type: 'tick'; readonly now: number }
  | { readonly type: 'resized'; readonly size: TerminalSize }
  // navigation
  | { readonly type: 'screenSelected'; readonly screen: ScreenId }
  | { readonly type: 'screenCycled'; readonly delta: 1 | -1 }
  | { readonly type: 'cursorMoved'; readonly delta: number }
  | { readonly type: 'helpToggled' }
  | { readonly type: 'showEndedToggled' }
  | { readonly type: 'historyFilterToggled' }
  | { readonly type: 'instanceViewed'; readonly instanceId: string }
  // time travel
  | { readonly type: 'timeTravelStarted' }
  | { readonly type: 'timeTravelScrubbed'; readonly delta: number }
  | {
      readonly type: 'timeTravelLoaded';
      readonly view: FleetView;
      readonly history: readonly HistoryEntry[];
    }
  | { readonly type: 'timeTravelEnded' }
  // dialogs
  | {
      readonly type: 'confirmRequested';
      readonly title: string;
      readonly lines: readonly string[] | null;
      readonly command: PendingCommand;
    }
  | { readonly type: 'confirmLinesLoaded'; readonly lines: readonly string[] }
  | { readonly type: 'launchOpened'; readonly choices: LaunchChoices }
  | { readonly type: 'pickerChosen' }
  | { readonly type: 'pickerBack' }
  | { readonly type: 'overlayClosed' }
  | { readonly type: 'noticeShown'; readonly notice: Notice }
  | { readonly type: 'noticeCleared' };
