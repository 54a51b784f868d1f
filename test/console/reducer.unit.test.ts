import { describe, expect, it } from 'vitest';
import type { ConsoleAction } from '../../src/console/state/actions.js';
import { consoleReducer, pickerItems } from '../../src/console/state/reducer.js';
import { displayedView, initialConsoleState } from '../../src/console/state/state.js';
import type { ConsoleState } from '../../src/console/state/state.js';
import { fakeData, launched, status } from './fixtures.js';
import type { FakeData } from './fixtures.js';

const SIZE = { columns: 80, rows: 24 };

function reduce(state: ConsoleState, ...actions: ConsoleAction[]): ConsoleState {
  return actions.reduce(consoleReducer, state);
}

/** Given the fixture log, the state right after the console loaded it. */
async function loaded(data: FakeData = fakeData()): Promise<ConsoleState> {
  const view = await data.snapshot();
  const history = await data.history({ limit: 500 });
  return reduce(initialConsoleState(0, SIZE), { type: 'snapshotLoaded', view, history });
}

async function changes(data: FakeData, state: ConsoleState): Promise<ConsoleAction> {
  const next = await data.changesSince(state.live.position);
  if (!next) throw new Error('no changes');
  return { type: 'changesArrived', changes: next };
}

describe('loading and following', () => {
  it('selects the first instance in display order and marks done agents unseen', async () => {
    const state = await loaded();
    expect(state.loaded).toBe(true);
    expect(state.selectedInstance).toBe('a1');
    expect([...state.unseenDone]).toEqual(['b1']);
    expect(state.history).toHaveLength(16);
  });

  it('upserts only the changed rows and appends their events to the tail', async () => {
    const data = fakeData();
    let state = await loaded(data);
    const before = state.live.instances.find((i) => i.id === 'b2');
    data.append(status('a1', 'blocked'), ...launched('c1', 'gamma'));
    state = reduce(state, await changes(data, state));
    expect(state.live.position).toBe(20);
    expect(state.live.instances.find((i) => i.id === 'a1')?.agentStatus).toBe('blocked');
    expect(state.live.instances.find((i) => i.id === 'c1')?.workspace).toBe('gamma');
    expect(state.live.instances.find((i) => i.id === 'b2')).toBe(before);
    expect(state.history.at(-1)?.position).toBe(20);
  });

  it('ignores changes it has already applied (a slow poll racing a fast one)', async () => {
    const data = fakeData();
    let state = await loaded(data);
    data.append(status('a1', 'idle'));
    const action = await changes(data, state);
    state = reduce(state, action);
    expect(reduce(state, action)).toBe(state);
  });

  it('a new done is unseen; moving onto it or attaching marks it seen; a new status clears it', async () => {
    const data = fakeData();
    let state = await loaded(data);
    data.append(status('a2', 'done'));
    state = reduce(state, await changes(data, state));
    expect(state.unseenDone.has('a2')).toBe(true);
    state = reduce(state, { type: 'cursorMoved', delta: 1 });
    expect(state.selectedInstance).toBe('a2');
    expect(state.unseenDone.has('a2')).toBe(false);
    data.append({ type: 'InstanceAttached', data: { instanceId: 'b1', session: 'main' } });
    state = reduce(state, await changes(data, state));
    expect(state.unseenDone.has('b1')).toBe(false);
    data.append(status('a2', 'working'), status('a2', 'done'));
    state = reduce(state, await changes(data, state));
    expect(state.unseenDone.has('a2')).toBe(false);
  });

  it('keeps the live filter in step with new events of its stream', async () => {
    const data = fakeData();
    let state = reduce(await loaded(data), { type: 'historyFilterToggled' });
    expect(state.historyStream).toBe('instance-a1');
    expect(state.filteredHistory.every((e) => e.streamId === 'instance-a1')).toBe(true);
    data.append(status('a1', 'idle'), status('b2', 'working'));
    state = reduce(state, await changes(data, state));
    expect(state.filteredHistory.at(-1)?.position).toBe(17);
    expect(state.filteredHistory.some((e) => e.position === 18)).toBe(false);
    expect(reduce(state, { type: 'historyFilterToggled' }).historyStream).toBeNull();
  });
});

describe('navigation', () => {
  it('moves through instances in workspace order, skipping group headers, clamped at the ends', async () => {
    let state = await loaded();
    const seen: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      state = reduce(state, { type: 'cursorMoved', delta: 1 });
      seen.push(state.selectedInstance);
    }
    expect(seen).toEqual(['a2', 'b1', 'b2', 'b2', 'b2']);
    expect(reduce(state, { type: 'cursorMoved', delta: -10 }).selectedInstance).toBe('a1');
  });

  it('hides ejected instances unless asked, moving the selection off them', async () => {
    const data = fakeData();
    let state = await loaded(data);
    data.append(
      { type: 'InstanceEjectRequested', data: { instanceId: 'a1', purge: false } },
      { type: 'InstanceEjected', data: { instanceId: 'a1', kept: [] } },
    );
    state = reduce(state, await changes(data, state));
    expect(state.selectedInstance).toBe('a2');
    state = reduce(state, { type: 'showEndedToggled' }, { type: 'cursorMoved', delta: -1 });
    expect(state.selectedInstance).toBe('a1');
  });

  it('cycles screens both ways and toggles help', async () => {
    let state = await loaded();
    state = reduce(state, { type: 'screenCycled', delta: -1 });
    expect(state.screen).toBe('history');
    state = reduce(state, { type: 'screenCycled', delta: 1 }, { type: 'helpToggled' });
    expect(state.screen).toBe('fleet');
    expect(state.overlay).toEqual({ kind: 'help' });
    expect(reduce(state, { type: 'helpToggled' }).overlay).toBeNull();
  });

  it('expires a notice after a few seconds', async () => {
    let state = reduce(await loaded(), {
      type: 'noticeShown',
      notice: { tone: 'info', text: 'hi', at: 1_000 },
    });
    expect(reduce(state, { type: 'tick', now: 3_000 }).notice?.text).toBe('hi');
    state = reduce(state, { type: 'tick', now: 7_500 });
    expect(state.notice).toBeNull();
  });
});

describe('time travel', () => {
  it('starts at the head showing the live view, clamps scrubbing to the log', async () => {
    let state = reduce(await loaded(), { type: 'timeTravelStarted' });
    expect(state.timeTravel?.target).toBe(16);
    expect(displayedView(state)).toBe(state.live);
    state = reduce(state, { type: 'timeTravelScrubbed', delta: 100 });
    expect(state.timeTravel?.target).toBe(16);
    state = reduce(state, { type: 'timeTravelScrubbed', delta: -100 });
    expect(state.timeTravel?.target).toBe(1);
  });

  it('shows the replayed view once loaded, and the live one again after', async () => {
    const data = fakeData();
    let state = reduce(
      await loaded(data),
      { type: 'timeTravelStarted' },
      { type: 'timeTravelScrubbed', delta: -12 },
    );
    const past = await data.replayAt(4);
    state = reduce(state, {
      type: 'timeTravelLoaded',
      view: past,
      history: await data.history({ upTo: 4, limit: 500 }),
    });
    expect(displayedView(state).instances.map((i) => i.id)).toEqual(['a1']);
    expect(state.selectedInstance).toBe('a1');
    state = reduce(state, { type: 'timeTravelEnded' });
    expect(displayedView(state).instances).toHaveLength(4);
  });

  it('refuses on an empty log with a notice', () => {
    const state = reduce(initialConsoleState(0, SIZE), { type: 'timeTravelStarted' });
    expect(state.timeTravel).toBeNull();
    expect(state.notice?.text).toContain('empty');
  });

  it('done agents in the past do not count as unseen or get marked seen', async () => {
    let state = reduce(await loaded(), { type: 'timeTravelStarted' });
    state = reduce(state, { type: 'cursorMoved', delta: 2 });
    expect(state.selectedInstance).toBe('b1');
    expect(state.unseenDone.has('b1')).toBe(true);
  });
});

describe('launch pickers', () => {
  it('walks workspace → role → runtime with defaults preselected, then asks for confirmation', async () => {
    const data = fakeData();
    let state = reduce(await loaded(data), { type: 'launchOpened', choices: await data.launchChoices() });
    if (state.overlay?.kind !== 'launch') throw new Error('no picker');
    expect(pickerItems(state.overlay)).toEqual(['alpha', 'beta']);
    state = reduce(state, { type: 'cursorMoved', delta: 1 }, { type: 'pickerChosen' });
    if (state.overlay?.kind !== 'launch') throw new Error('no picker');
    expect(state.overlay.step).toBe('role');
    expect(pickerItems(state.overlay)).toEqual(['agent-smith']);
    state = reduce(state, { type: 'pickerChosen' }, { type: 'cursorMoved', delta: 5 });
    if (state.overlay?.kind !== 'launch') throw new Error('no picker');
    expect(state.overlay.cursor).toBe(2);
    state = reduce(state, { type: 'pickerChosen' });
    expect(state.overlay).toEqual({
      kind: 'confirm',
      title: 'Launch agent-smith (amp) in beta?',
      lines: null,
      command: { kind: 'launch', request: { workspace: 'beta', role: 'agent-smith', runtime: 'amp' } },
    });
  });

  it('esc steps back a picker, then closes', async () => {
    const data = fakeData();
    let state = reduce(
      await loaded(data),
      { type: 'launchOpened', choices: await data.launchChoices() },
      { type: 'cursorMoved', delta: 1 },
      { type: 'pickerChosen' },
      { type: 'pickerBack' },
    );
    expect(state.overlay?.kind === 'launch' && state.overlay.step).toBe('workspace');
    expect(state.overlay?.kind === 'launch' && state.overlay.cursor).toBe(1);
    state = reduce(state, { type: 'pickerBack' });
    expect(state.overlay).toBeNull();
  });

  it('says how to create a workspace when there is none', async () => {
    const state = reduce(await loaded(), {
      type: 'launchOpened',
      choices: { workspaces: [], runtimes: ['claude'] },
    });
    expect(state.overlay).toBeNull();
    expect(state.notice?.text).toContain('jackin workspace create');
  });
});
