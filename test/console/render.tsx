import { render } from 'ink-testing-library';
import { App } from '../../src/console/App.js';
import { ConsoleProvider } from '../../src/console/ConsoleProvider.js';
import type { ConsoleActions, ConsoleData } from '../../src/console/ports.js';
import type { TerminalSize } from '../../src/console/state/state.js';
import { T0 } from './fixtures.js';

export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
} as const;

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The one test helper: the console with its providers over a fake data port and recorded actions. */
export function renderWithProviders(options: {
  readonly data: ConsoleData;
  readonly actions: ConsoleActions;
  readonly size?: TerminalSize;
  readonly color?: boolean;
  readonly now?: number;
}) {
  let quits = 0;
  const size = options.size ?? { columns: 80, rows: 24 };
  const result = render(
    <ConsoleProvider
      data={options.data}
      actions={options.actions}
      now={() => options.now ?? T0 + 3_600_000}
      size={size}
      color={options.color ?? false}
      timing={{ pollMs: 5, sampleMs: 20, tickMs: 60_000, replayDebounceMs: 0 }}
      onQuit={() => {
        quits += 1;
      }}
    >
      <App />
    </ConsoleProvider>,
  );
  const frame = (): string => stripAnsi(result.lastFrame() ?? '');
  return {
    ...result,
    frame,
    rawFrame: (): string => result.lastFrame() ?? '',
    quits: () => quits,
    /** Types keys one at a time, letting the app settle between them. */
    async press(...keys: string[]): Promise<void> {
      for (const key of keys) {
        result.stdin.write(key);
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    },
    /** Waits until the frame satisfies `predicate` (or fails with the last frame). */
    async waitFor(predicate: (frame: string) => boolean, timeoutMs = 2_000): Promise<string> {
      const started = Date.now();
      for (;;) {
        const current = frame();
        if (predicate(current)) return current;
        if (Date.now() - started > timeoutMs) throw new Error(`frame never matched:\n${current}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}
