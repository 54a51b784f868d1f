import { createContext, useContext } from 'react';
import type { ConsoleAction } from './state/actions.js';
import type { KeyCommand } from './state/keymap.js';
import type { ConsoleState } from './state/state.js';

/** Data in: the console state and how to present it. */
export interface ConsoleDataValue {
  readonly state: ConsoleState;
  /** False under NO_COLOR or on a dumb terminal: symbols and words carry all meaning. */
  readonly color: boolean;
}

/** Actions out: what components may ask for. */
export interface ConsoleCommandsValue {
  readonly run: (command: KeyCommand) => void;
  readonly dispatch: (action: ConsoleAction) => void;
}

export const ConsoleDataContext = createContext<ConsoleDataValue | null>(null);
export const ConsoleCommandsContext = createContext<ConsoleCommandsValue | null>(null);

export function useConsoleData(): ConsoleDataValue {
  const value = useContext(ConsoleDataContext);
  if (value === null) throw new Error('useConsoleData outside ConsoleProvider');
  return value;
}

export function useConsoleCommands(): ConsoleCommandsValue {
  const value = useContext(ConsoleCommandsContext);
  if (value === null) throw new Error('useConsoleCommands outside ConsoleProvider');
  return value;
}
