import type { SessionKind } from '../ports.js';
import type { ConsoleAction } from './actions.js';
import { SCREENS, displayedView, selectedInstance } from './state.js';
import type { ConsoleState } from './state.js';

/** What a key press asks for: a pure state change, or an effect the provider performs. */
export type KeyCommand =
  | { readonly kind: 'dispatch'; readonly action: ConsoleAction }
  | { readonly kind: 'quit' }
  | { readonly kind: 'attach' }
  | { readonly kind: 'newSession'; readonly session: SessionKind }
  | { readonly kind: 'requestEject' }
  | { readonly kind: 'confirm' }
  | { readonly kind: 'launch' }
  | { readonly kind: 'openLink' }
  | { readonly kind: 'retryTask' }
  | { readonly kind: 'requestCancelTask' };

/** The subset of Ink's key flags the console reads. */
export interface KeyFlags {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly tab?: boolean;
  readonly shift?: boolean;
  readonly ctrl?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
}

/** A key press as one name: `up`, `return`, `shift-tab`, or the typed character. */
export function keyName(input: string, key: KeyFlags): string | undefined {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.ctrl) return undefined;
  return input.length === 1 ? input : undefined;
}

export interface Binding {
  readonly keys: readonly string[];
  /** How the footer writes the keys. */
  readonly hint: string;
  readonly label: string;
  readonly when: (state: ConsoleState) => boolean;
  readonly command: (state: ConsoleState, key: string) => KeyCommand;
}

const dispatch = (action: ConsoleAction): KeyCommand => ({ kind: 'dispatch', action });
const overlayIs = (kind: string) => (s: ConsoleState) => s.overlay?.kind === kind;
const noOverlay = (s: ConsoleState): boolean => s.overlay === null;
const live = (s: ConsoleState): boolean => s.overlay === null && s.timeTravel === null;
const past = (s: ConsoleState): boolean => s.overlay === null && s.timeTravel !== null;
const onScreen =
  (...screens: string[]) =>
  (s: ConsoleState): boolean =>
    screens.includes(s.screen);
const and =
  (...predicates: ((s: ConsoleState) => boolean)[]) =>
  (s: ConsoleState): boolean =>
    predicates.every((p) => p(s));

const hasInstance = (s: ConsoleState): boolean => selectedInstance(s)?.state === 'running';
const hasTask = (s: ConsoleState): boolean => s.selectedTask !== null && displayedView(s).queueAvailable;
const selectedLinkUrl = (s: ConsoleState): string | undefined => {
  const view = displayedView(s);
  if (s.screen === 'links') return view.links.find((l) => l.ref === s.selectedLink)?.url;
  if (s.screen === 'fleet') return selectedInstance(s)?.link?.url;
  return undefined;
};

/** Every key binding, in footer order. The footer shows exactly the bindings active in a state. */
export const BINDINGS: readonly Binding[] = [
  // confirmation dialog
  {
    keys: ['y', 'return'],
    hint: 'y/⏎',
    label: 'confirm',
    when: overlayIs('confirm'),
    command: () => ({ kind: 'confirm' }),
  },
  {
    keys: ['n', 'escape'],
    hint: 'n/esc',
    label: 'cancel',
    when: overlayIs('confirm'),
    command: () => dispatch({ type: 'overlayClosed' }),
  },
  // launch pickers
  {
    keys: ['up', 'k', 'down', 'j'],
    hint: '↑↓',
    label: 'choose',
    when: overlayIs('launch'),
    command: (_s, key) => dispatch({ type: 'cursorMoved', delta: key === 'up' || key === 'k' ? -1 : 1 }),
  },
  {
    keys: ['return'],
    hint: '⏎',
    label: 'next',
    when: overlayIs('launch'),
    command: () => dispatch({ type: 'pickerChosen' }),
  },
  {
    keys: ['escape'],
    hint: 'esc',
    label: 'back',
    when: overlayIs('launch'),
    command: () => dispatch({ type: 'pickerBack' }),
  },
  // help
  {
    keys: ['?', 'escape'],
    hint: '?/esc',
    label: 'close help',
    when: overlayIs('help'),
    command: () => dispatch({ type: 'helpToggled' }),
  },
  // lists
  {
    keys: ['up', 'k', 'down', 'j'],
    hint: '↑↓/jk',
    label: 'move',
    when: and(noOverlay, onScreen('fleet', 'queue', 'links')),
    command: (_s, key) => dispatch({ type: 'cursorMoved', delta: key === 'up' || key === 'k' ? -1 : 1 }),
  },
  // time travel
  {
    keys: ['left', 'right'],
    hint: '←→',
    label: '±1 event',
    when: past,
    command: (_s, key) => dispatch({ type: 'timeTravelScrubbed', delta: key === 'left' ? -1 : 1 }),
  },
  {
    keys: ['[', ']'],
    hint: '[]',
    label: '±100',
    when: past,
    command: (_s, key) => dispatch({ type: 'timeTravelScrubbed', delta: key === '[' ? -100 : 100 }),
  },
  {
    keys: ['t', 'escape'],
    hint: 't/esc',
    label: 'back to live',
    when: past,
    command: () => dispatch({ type: 'timeTravelEnded' }),
  },
  // actions on the live fleet
  {
    keys: ['return'],
    hint: '⏎',
    label: 'attach',
    when: and(live, onScreen('fleet'), hasInstance),
    command: () => ({ kind: 'attach' }),
  },
  {
    keys: ['n'],
    hint: 'n',
    label: 'new agent',
    when: and(live, onScreen('fleet'), hasInstance),
    command: () => ({ kind: 'newSession', session: 'agent' }),
  },
  {
    keys: ['s'],
    hint: 's',
    label: 'shell',
    when: and(live, onScreen('fleet'), hasInstance),
    command: () => ({ kind: 'newSession', session: 'shell' }),
  },
  {
    keys: ['e'],
    hint: 'e',
    label: 'eject',
    when: and(
      live,
      onScreen('fleet'),
      (s) =>
        selectedInstance(s) !== undefined &&
        !['ejected', 'purged', 'ejecting'].includes(selectedInstance(s)?.state ?? ''),
    ),
    command: () => ({ kind: 'requestEject' }),
  },
  {
    keys: ['r'],
    hint: 'r',
    label: 'retry',
    when: and(live, onScreen('queue'), hasTask),
    command: () => ({ kind: 'retryTask' }),
  },
  {
    keys: ['c'],
    hint: 'c',
    label: 'cancel task',
    when: and(live, onScreen('queue'), hasTask),
    command: () => ({ kind: 'requestCancelTask' }),
  },
  {
    keys: ['o'],
    hint: 'o',
    label: 'open link',
    when: and(noOverlay, (s) => selectedLinkUrl(s) !== undefined),
    command: () => ({ kind: 'openLink' }),
  },
  { keys: ['l'], hint: 'l', label: 'launch', when: live, command: () => ({ kind: 'launch' }) },
  {
    keys: ['a'],
    hint: 'a',
    label: 'ended',
    when: and(noOverlay, onScreen('fleet')),
    command: () => dispatch({ type: 'showEndedToggled' }),
  },
  {
    keys: ['f'],
    hint: 'f',
    label: 'filter log',
    when: and(
      noOverlay,
      (s) =>
        s.historyStream !== null || (s.screen === 'queue' ? s.selectedTask : s.selectedInstance) !== null,
    ),
    command: () => dispatch({ type: 'historyFilterToggled' }),
  },
  {
    keys: ['t'],
    hint: 't',
    label: 'time travel',
    when: live,
    command: () => dispatch({ type: 'timeTravelStarted' }),
  },
  {
    keys: ['tab', 'shift-tab', '1', '2', '3', '4'],
    hint: 'tab/1-4',
    label: 'screens',
    when: noOverlay,
    command: (_s, key) => {
      if (key === 'tab') return dispatch({ type: 'screenCycled', delta: 1 });
      if (key === 'shift-tab') return dispatch({ type: 'screenCycled', delta: -1 });
      return dispatch({ type: 'screenSelected', screen: SCREENS[Number(key) - 1] ?? 'fleet' });
    },
  },
  {
    keys: ['?'],
    hint: '?',
    label: 'help',
    when: noOverlay,
    command: () => dispatch({ type: 'helpToggled' }),
  },
  {
    keys: ['q'],
    hint: 'q',
    label: 'quit',
    when: (s) => s.overlay === null || s.overlay.kind === 'help',
    command: () => ({ kind: 'quit' }),
  },
];

/** The bindings active in a state, in footer order. */
export function activeBindings(state: ConsoleState): Binding[] {
  return BINDINGS.filter((b) => b.when(state));
}

/** The command a key press maps to in a state; the first active binding holding the key wins. */
export function resolveKey(state: ConsoleState, key: string): KeyCommand | undefined {
  const binding = activeBindings(state).find((b) => b.keys.includes(key));
  return binding?.command(state, key);
}

/** Footer hints packed into lines of at most `width` columns. */
export function footerLines(state: ConsoleState, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const binding of activeBindings(state)) {
    const item = `${binding.hint} ${binding.label}`;
    const candidate = line === '' ? item : `${line}  ${item}`;
    if ([...candidate].length > width && line !== '') {
      lines.push(line);
      line = item;
    } else line = candidate;
  }
  if (line !== '') lines.push(line);
  return lines;
}
