import { Box, useInput } from 'ink';
import type { Key } from 'ink';
import { useCallback, useRef } from 'react';
import { ConfirmDialog } from './components/ConfirmDialog.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { LaunchPicker } from './components/LaunchPicker.js';
import { Line } from './components/Line.js';
import { NoticeLine } from './components/NoticeLine.js';
import { Tabs } from './components/Tabs.js';
import { useConsoleCommands, useConsoleData } from './context.js';
import { Fleet } from './screens/Fleet.js';
import { Help } from './screens/Help.js';
import { History } from './screens/History.js';
import { Links } from './screens/Links.js';
import { Queue } from './screens/Queue.js';
import { footerLines, keyName, resolveKey } from './state/keymap.js';
import { MIN_SIZE } from './state/state.js';
import type { ConsoleState } from './state/state.js';

/** Lines the frame may use: one short of the terminal, so Ink never falls back to clearing it. */
export function frameHeight(state: ConsoleState): number {
  return state.size.rows - 1;
}

function Body({ height }: { readonly height: number }) {
  const { state } = useConsoleData();
  const overlay = state.overlay;
  if (overlay?.kind === 'help') return <Help height={height} />;
  if (overlay?.kind === 'confirm') return <ConfirmDialog overlay={overlay} height={height} />;
  if (overlay?.kind === 'launch') return <LaunchPicker overlay={overlay} height={height} />;
  switch (state.screen) {
    case 'fleet':
      return <Fleet height={height} />;
    case 'queue':
      return <Queue height={height} />;
    case 'links':
      return <Links height={height} />;
    case 'history':
      return <History height={height} />;
  }
}

/** The console: header, tabs, the screen (or an overlay), notices and the key footer. */
export function App() {
  const { state } = useConsoleData();
  const { run } = useConsoleCommands();
  // The handler reads the state of the last render through a ref: keys pressed right after an update
  // must see the bindings of what is on screen, not of the render before.
  const latest = useRef(state);
  latest.current = state;
  const onInput = useCallback(
    (input: string, key: Key) => {
      // Keys typed faster than a read (key repeat, a busy host) arrive as one string: one at a time.
      const names =
        key.ctrl || key.meta ? [keyName(input, key)] : input.length > 1 ? [...input] : [keyName(input, key)];
      for (const name of names) {
        const command = name === undefined ? undefined : resolveKey(latest.current, name);
        if (command) run(command);
      }
    },
    [run],
  );
  useInput(onInput);
  const { columns } = state.size;
  if (columns < MIN_SIZE.columns || state.size.rows < MIN_SIZE.rows) {
    return (
      <Box flexDirection="column">
        <Line text={`terminal too small: ${columns}×${state.size.rows}`} width={columns} bold />
        <Line text={`the console needs ${MIN_SIZE.columns}×${MIN_SIZE.rows}; q quits`} width={columns} />
      </Box>
    );
  }
  const height = frameHeight(state);
  const chrome = 2 + (state.notice ? 1 : 0) + footerLines(state, columns).length;
  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Header />
      <Tabs />
      <Body height={height - chrome} />
      <NoticeLine />
      <Footer />
    </Box>
  );
}
