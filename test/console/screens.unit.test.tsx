import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { demoFleetEvents, fakeData, launched, recordingActions, status } from './fixtures.js';
import { KEYS, renderWithProviders } from './render.js';

afterEach(() => cleanup());

/** Every line of a frame fits the terminal: no wrap, no overflow. */
function expectFits(frame: string, columns: number, rows: number): void {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(rows - 1);
  for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(columns);
}

describe('fleet screen', () => {
  it('groups instances by workspace with role, runtime and a status readable without colour', async () => {
    const ui = renderWithProviders({ data: fakeData(), actions: recordingActions().actions });
    const frame = await ui.waitFor((f) => f.includes('jackin-b2'));
    const lines = frame.split('\n');
    const alpha = lines.findIndex((l) => l.startsWith('[alpha]'));
    const beta = lines.findIndex((l) => l.startsWith('[beta]'));
    expect(alpha).toBeGreaterThan(-1);
    expect(beta).toBeGreaterThan(alpha);
    const row = (name: string) => lines.find((l) => l.includes(name)) ?? '';
    expect(lines.slice(alpha, beta).join('\n')).toContain('jackin-a2');
    expect(row('jackin-a1')).toMatch(/~ working\s+jackin-a1\s+agent-smi\S*\s+claude\s+59m/);
    expect(row('jackin-a2')).toMatch(/! BLOCKED\s+jackin-a2\s+the-archi\S*\s+codex/);
    expect(row('jackin-b1')).toContain('* DONE');
    expect(row('jackin-b2')).toMatch(/- idle\s+jackin-b2\s+agent-smi\S*\s+amp/);
    expect(lines[0]).toContain('LIVE #16');
    expect(lines[0]).toContain('1 BLOCKED');
    expect(lines[0]).toContain('1 DONE');
    expect(lines.find((l) => l.startsWith('[alpha]'))).toContain('1 blocked');
  });

  it('shows an AgentStatusChanged appended by another process on the next poll', async () => {
    const data = fakeData();
    const ui = renderWithProviders({ data, actions: recordingActions().actions });
    await ui.waitFor((f) => /~ working\s+jackin-a1/.test(f));
    data.append(status('a1', 'blocked', 'needs approval'));
    const frame = await ui.waitFor((f) => /! BLOCKED\s+jackin-a1/.test(f));
    expect(frame).toContain('LIVE #17');
    expect(frame).toContain('AgentStatusChanged state=blocked reason=needs approval');
    expect(frame.split('\n')[0]).toContain('2 BLOCKED');
  });

  it('a done agent stands out until the operator moves onto it', async () => {
    const ui = renderWithProviders({ data: fakeData(), actions: recordingActions().actions });
    await ui.waitFor((f) => f.includes('* DONE'));
    // a1 is selected first; b1 (done) is two rows down: a2, then b1.
    await ui.press('j', 'j');
    const frame = await ui.waitFor((f) => f.includes('+ done'));
    expect(frame).not.toContain('* DONE');
    expect(
      frame
        .split('\n')
        .find((l) => l.includes('jackin-b1'))
        ?.startsWith('>'),
    ).toBe(true);
  });

  it('shows CPU and memory from the sampled resources', async () => {
    const data = fakeData();
    data.samples = { a1: { cpuPercent: 12.4, memoryBytes: 300 * 1024 * 1024 } };
    const ui = renderWithProviders({ data, actions: recordingActions().actions });
    const frame = await ui.waitFor((f) => f.includes('300M'));
    expect(frame.split('\n').find((l) => l.includes('jackin-a1'))).toMatch(/12%\s+300M/);
  });

  it('renders 100 instances in 80×24 without overflow, scrolling to keep the cursor visible', async () => {
    const events = Array.from({ length: 100 }, (_, i) => [
      ...launched(`i${String(i).padStart(3, '0')}`, `ws-${i % 7}`),
      status(`i${String(i).padStart(3, '0')}`, (['working', 'blocked', 'idle', 'done'] as const)[i % 4]!),
    ]).flat();
    const ui = renderWithProviders({ data: fakeData(events), actions: recordingActions().actions });
    let frame = await ui.waitFor((f) => f.includes('100 running'));
    expectFits(frame, 80, 24);
    for (let i = 0; i < 30; i++) await ui.press('j');
    frame = ui.frame();
    expectFits(frame, 80, 24);
    expect(frame.split('\n').some((l) => l.startsWith('>'))).toBe(true);
  });

  it('renders wider terminals to their width', async () => {
    const ui = renderWithProviders({
      data: fakeData(),
      actions: recordingActions().actions,
      size: { columns: 120, rows: 40 },
    });
    const frame = await ui.waitFor((f) => f.includes('jackin-b2'));
    expectFits(frame, 120, 40);
    expect(frame.split('\n')[0]!.length).toBeGreaterThan(80);
  });

  it('says when the terminal is too small instead of overflowing', async () => {
    const ui = renderWithProviders({
      data: fakeData(),
      actions: recordingActions().actions,
      size: { columns: 60, rows: 20 },
    });
    const frame = await ui.waitFor((f) => f.includes('too small'));
    expect(frame).toContain('needs 80×24');
  });
});

describe('colour', () => {
  it('uses no colour codes when colour is off (NO_COLOR), only symbols and words', async () => {
    const ui = renderWithProviders({ data: fakeData(), actions: recordingActions().actions, color: false });
    await ui.waitFor((f) => f.includes('! BLOCKED'));
    // eslint-disable-next-line no-control-regex
    expect(ui.rawFrame()).not.toMatch(/\u001B\[(3[0-9]|9[0-7]|38;)/);
  });
});

describe('keys and footer', () => {
  it('lists every active key in the footer and quits on q', async () => {
    const ui = renderWithProviders({ data: fakeData(), actions: recordingActions().actions });
    const frame = await ui.waitFor((f) => f.includes('jackin-a1'));
    const footer = frame.split('\n').slice(-2).join('  ');
    for (const hint of [
      '↑↓/jk move',
      '⏎ attach',
      'n new agent',
      's shell',
      'e eject',
      'l launch',
      't time travel',
      '? help',
      'q quit',
    ])
      expect(footer).toContain(hint);
    await ui.press('q');
    expect(ui.quits()).toBe(1);
  });

  it('? opens help with the status legend; esc closes it', async () => {
    const ui = renderWithProviders({ data: fakeData(), actions: recordingActions().actions });
    await ui.waitFor((f) => f.includes('jackin-a1'));
    await ui.press('?');
    let frame = await ui.waitFor((f) => f.includes('Help'));
    expect(frame).toContain('! BLOCKED');
    expect(frame).toContain('time travel');
    expectFits(frame, 80, 24);
    await ui.press(KEYS.escape);
    frame = await ui.waitFor((f) => !f.includes('Help'));
    expect(frame).toContain('jackin-a1');
  });

  it('switches screens with tab and number keys', async () => {
    const ui = renderWithProviders({ data: fakeData(), actions: recordingActions().actions });
    await ui.waitFor((f) => f.includes('jackin-a1'));
    await ui.press('2');
    expect(await ui.waitFor((f) => f.includes('[2 Queue]'))).toContain('not part of this build yet');
    await ui.press(KEYS.tab);
    await ui.waitFor((f) => f.includes('[3 Links]'));
    await ui.press('4');
    const history = await ui.waitFor((f) => f.includes('[4 History]'));
    expect(history).toContain('event log · live tail · every stream');
    expect(history).toContain('#16 instance-b2 AgentStatusChanged state=idle');
  });

  it('f filters the log to the selected instance', async () => {
    const ui = renderWithProviders({ data: fakeData(), actions: recordingActions().actions });
    await ui.waitFor((f) => f.includes('jackin-a1'));
    await ui.press('f', '4');
    const frame = await ui.waitFor((f) => f.includes('only instance-a1'));
    const entries = frame.split('\n').filter((l) => /^\d\d:\d\d:\d\d #/.test(l));
    expect(entries.length).toBe(4);
    for (const entry of entries) expect(entry).toContain('instance-a1');
  });
});

describe('actions', () => {
  it('eject asks first, then calls the actions port', async () => {
    const { actions, calls } = recordingActions();
    const ui = renderWithProviders({ data: fakeData(), actions });
    await ui.waitFor((f) => f.includes('jackin-a1'));
    await ui.press('e');
    expect(await ui.waitFor((f) => f.includes('Eject jackin-a1?'))).toContain('y / ⏎ confirm');
    expect(calls).toEqual([]);
    await ui.press('y');
    await ui.waitFor((f) => f.includes('eject requested: jackin-a1'));
    expect(calls).toEqual([{ action: 'eject', args: ['a1'] }]);
  });

  it('n cancels the confirmation without acting', async () => {
    const { actions, calls } = recordingActions();
    const ui = renderWithProviders({ data: fakeData(), actions });
    await ui.waitFor((f) => f.includes('jackin-a1'));
    await ui.press('e', 'n');
    await ui.waitFor((f) => !f.includes('Eject jackin-a1?'));
    expect(calls).toEqual([]);
  });

  it('launch walks workspace → role → runtime and shows the contract before confirming', async () => {
    const { actions, calls } = recordingActions();
    const ui = renderWithProviders({ data: fakeData(), actions });
    await ui.waitFor((f) => f.includes('jackin-a1'));
    await ui.press('l');
    await ui.waitFor((f) => f.includes('choose a workspace'));
    await ui.press(KEYS.enter);
    // alpha's default role is the-architect; its default runtime codex.
    expect(await ui.waitFor((f) => f.includes('choose a role'))).toMatch(/> the-architect/);
    await ui.press(KEYS.enter);
    expect(await ui.waitFor((f) => f.includes('choose a runtime'))).toMatch(/> codex/);
    await ui.press(KEYS.down, KEYS.enter);
    const confirm = await ui.waitFor((f) => f.includes('/src/app -> /work'));
    expect(confirm).toContain('Launch the-architect (amp) in alpha?');
    await ui.press('y');
    await ui.waitFor((f) => f.includes('launched the-architect in alpha'));
    expect(calls).toEqual([
      { action: 'launch', args: [{ workspace: 'alpha', role: 'the-architect', runtime: 'amp' }] },
    ]);
  });

  it('shows a failing action as an error line instead of crashing', async () => {
    const { actions } = recordingActions({
      reattach: 'attach is not available yet (issue 5 has not landed)',
    });
    const ui = renderWithProviders({ data: fakeData(), actions });
    await ui.waitFor((f) => f.includes('jackin-a1'));
    await ui.press(KEYS.enter);
    expect(await ui.waitFor((f) => f.includes('error:'))).toContain('attach is not available yet');
  });
});

describe('time travel', () => {
  it('scrubs back through the log, marked as the past, and returns to live', async () => {
    const data = fakeData(demoFleetEvents());
    const ui = renderWithProviders({ data, actions: recordingActions().actions });
    await ui.waitFor((f) => f.includes('jackin-b2'));
    await ui.press('t');
    expect(await ui.waitFor((f) => f.includes('PAST #16 of #16'))).toContain('←→ ±1 event');
    // Back to #8: a2 just asked for approval, b1/b2 not launched yet.
    for (let i = 0; i < 8; i++) await ui.press(KEYS.left);
    const past = await ui.waitFor((f) => f.includes('PAST #8 of #16') && !f.includes('replaying'));
    expect(past).toMatch(/! BLOCKED\s+jackin-a2/);
    expect(past).not.toContain('jackin-b1');
    expect(data.replays.at(-1)).toBe(8);
    // The footer offers no actions on the past.
    expect(past).not.toContain('e eject');
    await ui.press('t');
    const live = await ui.waitFor((f) => f.includes('LIVE #16'));
    expect(live).toContain('jackin-b2');
  });

  it('keeps following the log while in the past', async () => {
    const data = fakeData();
    const ui = renderWithProviders({ data, actions: recordingActions().actions });
    await ui.waitFor((f) => f.includes('jackin-b2'));
    await ui.press('t', KEYS.left);
    data.append(status('b2', 'blocked'));
    await ui.waitFor((f) => f.includes('PAST #15 of #17'));
  });
});

describe('queue and links screens', () => {
  it('lists tasks by state with attempts and workers; retry and cancel go through the actions port', async () => {
    const data = fakeData();
    data.tasks = [
      {
        id: 't-done',
        state: 'succeeded',
        title: 'old work',
        workspace: 'alpha',
        role: 'agent-smith',
        attempts: 1,
        worker: null,
        instanceId: null,
        priority: 0,
      },
      {
        id: 't-run',
        state: 'running',
        title: 'acme/app#12',
        workspace: 'alpha',
        role: 'agent-smith',
        attempts: 2,
        worker: 'w-7',
        instanceId: 'a1',
        priority: 0,
      },
      {
        id: 't-wait',
        state: 'queued',
        title: 'fix the flaky test',
        workspace: 'beta',
        role: 'agent-smith',
        attempts: 0,
        worker: null,
        instanceId: null,
        priority: 5,
      },
    ];
    const { actions, calls } = recordingActions();
    const ui = renderWithProviders({ data, actions });
    await ui.waitFor((f) => f.includes('jackin-a1'));
    await ui.press('2');
    const frame = await ui.waitFor((f) => f.includes('[2 Queue]') && f.includes('t-run'));
    const rows = frame.split('\n').filter((l) => /t-(run|wait|done)/.test(l));
    expect(rows.map((r) => r.match(/t-\w+/)?.[0])).toEqual(['t-run', 't-wait', 't-done']);
    expect(rows[0]).toMatch(/running\s+t-run\s+acme\/app#12\s+2\s+w-7/);
    expect(frame).toContain('r retry');
    await ui.press('j', 'c');
    await ui.waitFor((f) => f.includes('Cancel task t-wait?'));
    await ui.press('y');
    await ui.waitFor((f) => f.includes('task cancelled'));
    await ui.press('r');
    await ui.waitFor((f) => f.includes('queued again'));
    expect(calls).toEqual([
      { action: 'cancelTask', args: ['t-wait'] },
      { action: 'retryTask', args: ['t-wait'] },
    ]);
  });

  it('says the links pane is not available in this build', async () => {
    const ui = renderWithProviders({ data: fakeData(), actions: recordingActions().actions });
    await ui.waitFor((f) => f.includes('jackin-a1'));
    await ui.press('3');
    expect(await ui.waitFor((f) => f.includes('[3 Links]'))).toContain(
      'Link tracking is not part of this build yet',
    );
  });
});
