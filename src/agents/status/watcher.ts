import type { PaneSnapshot } from './classifier.js';
import type { HookRecord } from './hooks.js';
import { StatusTracker } from './status-tracker.js';
import type { AgentStatusChangedData, AgentTagEmittedData, TrackerOptions } from './status-tracker.js';

/**
 * Captures one tmux pane. The instance engine implements it with
 * `docker exec <container> tmux capture-pane -p -J -t <session>` and
 * `tmux display -p -t <session> '#{pane_current_command} #{pane_dead}'`.
 */
export type CapturePane = () => Promise<PaneSnapshot>;

/** Where status changes and tags go (the engine appends them to the instance stream). */
export interface StatusSink {
  statusChanged(data: AgentStatusChangedData): Promise<void>;
  tagEmitted(data: AgentTagEmittedData): Promise<void>;
}

export interface WatcherDeps {
  readonly capture: CapturePane;
  readonly sink: StatusSink;
  readonly now: () => number;
  /** Resolves after `ms`, or early when the signal aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Told about capture failures (the pane may be gone for a moment); the loop goes on. */
  readonly onError?: (error: unknown) => void;
  /**
   * Runtime hook records written since the last call (a `HookLogReader` over the instance's hook
   * log); read after each capture and attached to the snapshot when they are about its pane.
   */
  readonly readHooks?: () => readonly HookRecord[];
  /**
   * Asked after a failed capture: whether the container is gone or stopped, which ends the watch at
   * once instead of after `maxFailures` (an ejected instance's watcher would poll for ~10 s).
   */
  readonly containerGone?: () => Promise<boolean>;
}

export interface WatchOptions extends TrackerOptions {
  readonly intervalMs?: number;
  /** Stop after this many consecutive failed captures (the container is gone). */
  readonly maxFailures?: number;
}

/** Why the loop ended. */
export type WatchEnd = 'aborted' | 'capture_failed' | 'container_gone';

/**
 * Polls a pane until aborted: each snapshot goes through the debounced tracker; status changes
 * and new tags go to the sink in the order they were seen. One capture at a time, never overlapping.
 */
export async function watchAgentStatus(
  options: WatchOptions,
  deps: WatcherDeps,
  signal: AbortSignal,
): Promise<WatchEnd> {
  const tracker = new StatusTracker(options);
  const interval = options.intervalMs ?? 1000;
  const maxFailures = options.maxFailures ?? 10;
  let failures = 0;
  while (!signal.aborted) {
    let snapshot: PaneSnapshot | undefined;
    try {
      snapshot = await deps.capture();
      failures = 0;
    } catch (error) {
      failures += 1;
      deps.onError?.(error);
      if (await deps.containerGone?.().catch(() => false)) return 'container_gone';
      if (failures >= maxFailures) return 'capture_failed';
    }
    if (snapshot && !signal.aborted) {
      if (deps.readHooks) snapshot = withHooks(snapshot, deps.readHooks());
      const observation = tracker.observe(snapshot, deps.now());
      for (const tag of observation.tags) await deps.sink.tagEmitted(tag);
      if (observation.status) await deps.sink.statusChanged(observation.status);
    }
    if (!signal.aborted) await deps.sleep(interval, signal);
  }
  return 'aborted';
}

/** Attaches the hook records about this pane (records without a pane, or without a known pane id, count). */
function withHooks(snapshot: PaneSnapshot, records: readonly HookRecord[]): PaneSnapshot {
  const mine = records.filter((r) => !r.pane || !snapshot.paneId || r.pane === snapshot.paneId);
  return mine.length > 0 ? { ...snapshot, hooks: mine } : snapshot;
}

/** A sleep that wakes early on abort (the default for `WatcherDeps.sleep`). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The in-container commands behind a `CapturePane` (run with `docker exec <container> …`). */
export function tmuxCaptureCommands(target: string): { screen: string[]; process: string[] } {
  return {
    screen: ['tmux', 'capture-pane', '-p', '-J', '-t', target],
    process: [
      'tmux',
      'display-message',
      '-p',
      '-t',
      target,
      '#{pane_current_command} #{pane_dead} #{pane_id}',
    ],
  };
}

/** Builds a snapshot from the output of the two `tmuxCaptureCommands`. */
export function paneSnapshot(screen: string, process: string): PaneSnapshot {
  const [foreground, dead, paneId] = process.trim().split(/\s+/);
  return { screen, foreground, exited: dead === '1', ...(paneId ? { paneId } : {}) };
}
