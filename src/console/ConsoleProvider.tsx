import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { ReactNode } from 'react';
import { ConsoleCommandsContext, ConsoleDataContext } from './context.js';
import type { ConsoleCommandsValue } from './context.js';
import type { ConsoleActions, ConsoleData } from './ports.js';
import type { ConsoleAction } from './state/actions.js';
import type { KeyCommand } from './state/keymap.js';
import { consoleReducer } from './state/reducer.js';
import { HISTORY_CAP, displayedView, initialConsoleState, selectedInstance } from './state/state.js';
import type { ConsoleState, TerminalSize } from './state/state.js';

/** How often the console looks at the log head, samples resources, and refreshes uptimes. */
export interface ConsoleTiming {
  readonly pollMs: number;
  readonly sampleMs: number;
  readonly tickMs: number;
  readonly replayDebounceMs: number;
}

export const DEFAULT_TIMING: ConsoleTiming = {
  pollMs: 100,
  sampleMs: 3_000,
  tickMs: 5_000,
  replayDebounceMs: 80,
};

export interface ConsoleProviderProps {
  readonly data: ConsoleData;
  readonly actions: ConsoleActions;
  readonly now: () => number;
  readonly size: TerminalSize;
  readonly color: boolean;
  readonly timing?: Partial<ConsoleTiming>;
  readonly onQuit: () => void;
  readonly children: ReactNode;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    typeof error === 'object' && error !== null && 'hint' in error && typeof error.hint === 'string'
      ? ` (hint: ${error.hint})`
      : '';
  return `${message}${hint}`;
}

/** Owns the state: follows the log by position, samples resources, replays the past, runs actions. */
export function ConsoleProvider(props: ConsoleProviderProps) {
  const { data, actions, now, onQuit } = props;
  const timing = { ...DEFAULT_TIMING, ...props.timing };
  const [state, dispatch] = useReducer(consoleReducer, undefined, () =>
    initialConsoleState(now(), props.size),
  );
  const stateRef = useRef<ConsoleState>(state);
  stateRef.current = state;

  const notify = useCallback(
    (tone: 'info' | 'error', text: string) =>
      dispatch({ type: 'noticeShown', notice: { tone, text, at: now() } }),
    [now],
  );
  const perform = useCallback(
    (work: () => Promise<void>, success?: string) => {
      work().then(
        () => success && notify('info', success),
        (error: unknown) => notify('error', describe(error)),
      );
    },
    [notify],
  );

  useEffect(() => {
    if (props.size.columns !== state.size.columns || props.size.rows !== state.size.rows)
      dispatch({ type: 'resized', size: props.size });
  }, [props.size, state.size]);

  // Load once, then follow the log by global position: one cheap head check per poll.
  useEffect(() => {
    let stopped = false;
    let busy = false;
    let timer: NodeJS.Timeout | undefined;
    const poll = async (): Promise<void> => {
      if (busy || stopped) return;
      busy = true;
      try {
        const changes = await data.changesSince(stateRef.current.live.position);
        if (changes && !stopped) dispatch({ type: 'changesArrived', changes });
      } catch (error) {
        if (!stopped) notify('error', `following the log failed: ${describe(error)}`);
      } finally {
        busy = false;
      }
    };
    void (async () => {
      try {
        const [view, history] = await Promise.all([data.snapshot(), data.history({ limit: HISTORY_CAP })]);
        if (stopped) return;
        dispatch({ type: 'snapshotLoaded', view, history });
        timer = setInterval(() => void poll(), timing.pollMs);
      } catch (error) {
        if (!stopped) notify('error', `loading the fleet failed: ${describe(error)}`);
      }
    })();
    return () => {
      stopped = true;
      if (timer) clearInterval(timer);
    };
  }, [data, notify, timing.pollMs]);

  // Resources at a modest rate, for running instances only; never per frame.
  useEffect(() => {
    if (!state.loaded) return;
    let stopped = false;
    const sample = async (): Promise<void> => {
      const running = stateRef.current.live.instances.filter((i) => i.state === 'running');
      if (running.length === 0) return;
      try {
        const samples = await data.sampleResources(running);
        if (!stopped) dispatch({ type: 'resourcesSampled', samples });
      } catch {
        // Docker may be down: the columns stay at '-' rather than nagging every few seconds.
      }
    };
    void sample();
    const timer = setInterval(() => void sample(), timing.sampleMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [data, state.loaded, timing.sampleMs]);

  useEffect(() => {
    const timer = setInterval(() => dispatch({ type: 'tick', now: now() }), timing.tickMs);
    return () => clearInterval(timer);
  }, [now, timing.tickMs]);

  // Time travel: replay the projections at the scrubbed position once scrubbing pauses.
  const travel = state.timeTravel;
  const travelTarget = travel?.target;
  const travelLoaded = travel?.view?.position;
  const loadedStream = useRef<string | null>(null);
  useEffect(() => {
    if (travelTarget === undefined) {
      loadedStream.current = state.historyStream;
      return;
    }
    if (travelTarget === travelLoaded && loadedStream.current === state.historyStream) return;
    let stopped = false;
    const stream = state.historyStream;
    const timer = setTimeout(() => {
      void (async () => {
        try {
          const [view, history] = await Promise.all([
            data.replayAt(travelTarget),
            data.history({
              upTo: travelTarget,
              limit: HISTORY_CAP,
              ...(stream ? { streamIds: [stream] } : {}),
            }),
          ]);
          if (stopped) return;
          loadedStream.current = stream;
          dispatch({ type: 'timeTravelLoaded', view, history });
        } catch (error) {
          if (!stopped) notify('error', `replay failed: ${describe(error)}`);
        }
      })();
    }, timing.replayDebounceMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [data, notify, travelTarget, travelLoaded, state.historyStream, timing.replayDebounceMs]);

  // A live filter loads the whole tail of that stream, not just what the cached tail holds.
  useEffect(() => {
    const stream = state.historyStream;
    if (stream === null) return;
    let stopped = false;
    data.history({ limit: HISTORY_CAP, streamIds: [stream] }).then(
      (entries) => !stopped && dispatch({ type: 'filteredHistoryLoaded', stream, entries }),
      (error: unknown) => !stopped && notify('error', describe(error)),
    );
    return () => {
      stopped = true;
    };
  }, [data, notify, state.historyStream]);

  // The launch confirmation shows the explain contract before the operator says yes.
  const overlay = state.overlay;
  useEffect(() => {
    if (overlay?.kind !== 'confirm' || overlay.lines !== null || overlay.command.kind !== 'launch') return;
    let stopped = false;
    data.explain(overlay.command.request).then(
      (lines) => !stopped && dispatch({ type: 'confirmLinesLoaded', lines }),
      (error: unknown) =>
        !stopped && dispatch({ type: 'confirmLinesLoaded', lines: [`cannot explain: ${describe(error)}`] }),
    );
    return () => {
      stopped = true;
    };
  }, [data, overlay]);

  const run = useCallback(
    (command: KeyCommand) => {
      const current = stateRef.current;
      if (current.notice && command.kind !== 'dispatch') dispatch({ type: 'noticeCleared' });
      const instance = selectedInstance(current);
      switch (command.kind) {
        case 'dispatch':
          if (current.notice) dispatch({ type: 'noticeCleared' });
          dispatch(command.action);
          return;
        case 'quit':
          onQuit();
          return;
        case 'attach':
          if (!instance) return;
          dispatch({ type: 'instanceViewed', instanceId: instance.id });
          perform(() => actions.reattach(instance.id), `detached from ${instance.name}`);
          return;
        case 'newSession':
          if (instance)
            perform(() => actions.newSession(instance.id, command.session), `detached from ${instance.name}`);
          return;
        case 'requestEject':
          if (!instance) return;
          dispatch({
            type: 'confirmRequested',
            title: `Eject ${instance.name}?`,
            lines: [
              `Removes its container, DinD sidecar, network and certs volume (${instance.workspace}/${instance.role}).`,
              'Its state directory is kept; purge it later with `jackin purge`.',
            ],
            command: { kind: 'eject', instanceId: instance.id, name: instance.name },
          });
          return;
        case 'requestCancelTask':
          if (current.selectedTask === null) return;
          dispatch({
            type: 'confirmRequested',
            title: `Cancel task ${current.selectedTask}?`,
            lines: ['A running attempt is stopped and its instance ejected.'],
            command: { kind: 'cancelTask', taskId: current.selectedTask },
          });
          return;
        case 'confirm': {
          if (current.overlay?.kind !== 'confirm' || current.overlay.lines === null) return;
          const pending = current.overlay.command;
          dispatch({ type: 'overlayClosed' });
          if (pending.kind === 'eject')
            perform(() => actions.eject(pending.instanceId), `eject requested: ${pending.name}`);
          else if (pending.kind === 'cancelTask')
            perform(() => actions.cancelTask(pending.taskId), 'task cancelled');
          else
            perform(
              () => actions.launch(pending.request),
              `launched ${pending.request.role} in ${pending.request.workspace}`,
            );
          return;
        }
        case 'launch':
          data.launchChoices().then(
            (choices) => dispatch({ type: 'launchOpened', choices }),
            (error: unknown) => notify('error', describe(error)),
          );
          return;
        case 'openLink': {
          const view = displayedView(current);
          const url =
            current.screen === 'links'
              ? view.links.find((l) => l.ref === current.selectedLink)?.url
              : instance?.link?.url;
          if (url) perform(() => actions.openLink(url), `opened ${url}`);
          return;
        }
        case 'retryTask':
          if (current.selectedTask !== null) {
            const taskId = current.selectedTask;
            perform(() => actions.retryTask(taskId), `task ${taskId} queued again`);
          }
          return;
      }
    },
    [actions, data, notify, onQuit, perform],
  );

  const commands = useMemo<ConsoleCommandsValue>(
    () => ({ run, dispatch: (action: ConsoleAction) => dispatch(action) }),
    [run],
  );
  const dataValue = useMemo(() => ({ state, color: props.color }), [state, props.color]);
  return (
    <ConsoleDataContext.Provider value={dataValue}>
      <ConsoleCommandsContext.Provider value={commands}>{props.children}</ConsoleCommandsContext.Provider>
    </ConsoleDataContext.Provider>
  );
}
