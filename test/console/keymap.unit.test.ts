import { describe, expect, it } from 'vitest';
import {
  BINDINGS,
  activeBindings,
  footerLines,
  keyName,
  resolveKey,
} from '../../src/console/state/keymap.js';
import { consoleReducer } from '../../src/console/state/reducer.js';
import { initialConsoleState } from '../../src/console/state/state.js';
import type { ConsoleState } from '../../src/console/state/state.js';
import { fakeData } from './fixtures.js';

async function states(): Promise<Record<string, ConsoleState>> {
  const data = fakeData();
  const fleet = consoleReducer(initialConsoleState(0, { columns: 80, rows: 24 }), {
    type: 'snapshotLoaded',
    view: await data.snapshot(),
    history: [],
  });
  const choices = await data.launchChoices();
  return {
    empty: initialConsoleState(0, { columns: 80, rows: 24 }),
    fleet,
    queue: consoleReducer(fleet, { type: 'screenSelected', screen: 'queue' }),
    history: consoleReducer(fleet, { type: 'screenSelected', screen: 'history' }),
    help: consoleReducer(fleet, { type: 'helpToggled' }),
    past: consoleReducer(fleet, { type: 'timeTravelStarted' }),
    launch: consoleReducer(fleet, { type: 'launchOpened', choices }),
    confirm: consoleReducer(fleet, {
      type: 'confirmRequested',
      title: 'Eject?',
      lines: [],
      command: { kind: 'eject', instanceId: 'a1', name: 'jackin-a1' },
    }),
  };
}

describe('keymap', () => {
  it('in every state, each key the footer shows does what its binding says, and nothing else is bound', async () => {
    const allKeys = [...new Set(BINDINGS.flatMap((b) => b.keys))];
    for (const [name, state] of Object.entries(await states())) {
      const active = activeBindings(state);
      const footer = footerLines(state, 80).join('  ');
      for (const binding of active) expect(footer, name).toContain(`${binding.hint} ${binding.label}`);
      for (const key of allKeys) {
        const owner = active.find((b) => b.keys.includes(key));
        const command = resolveKey(state, key);
        if (owner) expect(command, `${name}: ${key}`).toEqual(owner.command(state, key));
        else expect(command, `${name}: ${key}`).toBeUndefined();
      }
    }
  });

  it('packs the footer into lines no wider than the terminal', async () => {
    for (const state of Object.values(await states())) {
      const lines = footerLines(state, 80);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length).toBeLessThanOrEqual(2);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    }
  });

  it('q quits from lists and help, but not from a dialog', async () => {
    const all = await states();
    expect(resolveKey(all.fleet!, 'q')).toEqual({ kind: 'quit' });
    expect(resolveKey(all.help!, 'q')).toEqual({ kind: 'quit' });
    expect(resolveKey(all.confirm!, 'q')).toBeUndefined();
    expect(resolveKey(all.confirm!, 'y')).toEqual({ kind: 'confirm' });
  });

  it('offers no actions on the past: no attach, eject or launch', async () => {
    const { past } = await states();
    expect(resolveKey(past!, 'return')).toBeUndefined();
    expect(resolveKey(past!, 'e')).toBeUndefined();
    expect(resolveKey(past!, 'l')).toBeUndefined();
    expect(resolveKey(past!, 'left')).toEqual({
      kind: 'dispatch',
      action: { type: 'timeTravelScrubbed', delta: -1 },
    });
    expect(resolveKey(past!, 'escape')).toEqual({ kind: 'dispatch', action: { type: 'timeTravelEnded' } });
  });

  it('names keys from Ink flags', () => {
    expect(keyName('', { upArrow: true })).toBe('up');
    expect(keyName('\t', { tab: true, shift: true })).toBe('shift-tab');
    expect(keyName('\r', { return: true })).toBe('return');
    expect(keyName('c', { ctrl: true })).toBeUndefined();
    expect(keyName('?', {})).toBe('?');
    expect(keyName('ab', {})).toBeUndefined();
  });
});
