import { render } from 'ink';
import { useEffect, useState } from 'react';
import { App } from './App.js';
import { ConsoleProvider } from './ConsoleProvider.js';
import type { ConsoleTiming } from './ConsoleProvider.js';
import type { ConsoleActions, ConsoleData, TerminalHandoff } from './ports.js';
import type { TerminalSize } from './state/state.js';
import { terminalGate } from './terminal-gate.js';

const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[H';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';
const SHOW_CURSOR = '\u001B[?25h';

export interface RunConsoleOptions {
  readonly data: ConsoleData;
  /** Built with the terminal handoff, so attach actions can suspend the console. */
  readonly actions: (terminal: TerminalHandoff) => ConsoleActions;
  readonly color: boolean;
  readonly now: () => number;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly timing?: Partial<ConsoleTiming>;
  /** Called after each frame is written (benchmarks measure time to first frame with it). */
  readonly onFrame?: () => void;
}

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

function Root(props: {
  readonly options: RunConsoleOptions;
  readonly actions: ConsoleActions;
  readonly onQuit: () => void;
}) {
  const { options } = props;
  const [size, setSize] = useState(() => sizeOf(options.stdout));
  useEffect(() => {
    const onResize = (): void => setSize(sizeOf(options.stdout));
    options.stdout.on('resize', onResize);
    return () => {
      options.stdout.off('resize', onResize);
    };
  }, [options.stdout]);
  return (
    <ConsoleProvider
      data={options.data}
      actions={props.actions}
      now={options.now}
      size={size}
      color={options.color}
      onQuit={props.onQuit}
      {...(options.timing ? { timing: options.timing } : {})}
    >
      <App />
    </ConsoleProvider>
  );
}

/** Runs the console in the alternate screen until the operator quits; the terminal is restored after. */
export async function runConsole(options: RunConsoleOptions): Promise<void> {
  const { stdin, stdout } = options;
  const gate = terminalGate(stdin, stdout);
  stdout.write(ENTER_ALT_SCREEN);
  let instance: ReturnType<typeof render> | undefined;
  const terminal: TerminalHandoff = {
    async suspend(work) {
      instance?.clear();
      gate.lend();
      stdout.write(LEAVE_ALT_SCREEN + SHOW_CURSOR);
      try {
        return await work();
      } finally {
        stdout.write(ENTER_ALT_SCREEN);
        // Ink believes its last frame is on screen: forget it (the clear is dropped by the closed
        // gate; the alternate screen is blank anyway), take the terminal back, draw everything.
        instance?.clear();
        gate.reclaim();
        instance?.rerender(root());
      }
    },
  };
  const actions = options.actions(terminal);
  const root = () => <Root options={options} actions={actions} onQuit={() => instance?.unmount()} />;
  try {
    instance = render(root(), {
      stdin: gate.stdin,
      stdout: gate.stdout,
      exitOnCtrlC: true,
      patchConsole: false,
      ...(options.onFrame ? { onRender: () => options.onFrame?.() } : {}),
    });
    await instance.waitUntilExit();
  } finally {
    stdout.write(LEAVE_ALT_SCREEN + SHOW_CURSOR);
  }
}
