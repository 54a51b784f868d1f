import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PaneSnapshot } from '../../src/agents/status/classifier.js';
import { hookStatus, mergeClaudeHooks, parseHookRecord } from '../../src/agents/status/hooks.js';
import type { HookRecord } from '../../src/agents/status/hooks.js';
import { shippedPackDir } from '../../src/agents/status/packs-dir.js';
import { loadRulePacks } from '../../src/agents/status/rule-pack.js';
import { StatusTracker } from '../../src/agents/status/status-tracker.js';
import type { AgentStatusChangedData } from '../../src/agents/status/status-tracker.js';
import { paneSnapshot, watchAgentStatus } from '../../src/agents/status/watcher.js';
import { validateNewEvent } from '../../src/events/codec.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/screens/claude/', import.meta.url));
const pack = loadRulePacks([shippedPackDir()]).get('claude');
const screen = (file: string): string => readFileSync(join(FIXTURES, file), 'utf8');
const hook = (event: string, extra: Partial<HookRecord> = {}): HookRecord => ({
  runtime: 'claude',
  event,
  ...extra,
});

describe('claude hook records map to agent states', () => {
  const cases: [string, HookRecord, ReturnType<typeof hookStatus>][] = [
    ['a submitted prompt', hook('UserPromptSubmit'), { state: 'working' }],
    ['a tool call', hook('PreToolUse'), { state: 'working' }],
    ['a finished tool call', hook('PostToolUse'), { state: 'working' }],
    [
      'a permission prompt',
      hook('Notification', {
        notification: 'permission_prompt',
        message: 'Claude needs your permission to use Bash',
      }),
      { state: 'blocked', reason: 'Claude needs your permission to use Bash' },
    ],
    [
      'a permission prompt without a message',
      hook('Notification', { notification: 'permission_prompt' }),
      { state: 'blocked', reason: 'permission prompt' },
    ],
    [
      'an MCP input dialog',
      hook('Notification', { notification: 'elicitation_dialog' }),
      { state: 'blocked', reason: 'waiting for input' },
    ],
    [
      'the idle reminder',
      hook('Notification', { notification: 'idle_prompt', message: 'Claude is waiting for your input' }),
      { state: 'idle' },
    ],
    [
      'an older claude (no notification_type): permission',
      hook('Notification', { message: 'Claude needs your permission to use Write' }),
      { state: 'blocked', reason: 'Claude needs your permission to use Write' },
    ],
    [
      'an older claude (no notification_type): waiting',
      hook('Notification', { message: 'Claude is waiting for your input' }),
      { state: 'idle' },
    ],
    ['a login notification', hook('Notification', { notification: 'auth_success' }), undefined],
    ['the end of a turn', hook('Stop'), { state: 'idle' }],
    ['a subagent ending (the main agent goes on)', hook('SubagentStop'), undefined],
    ['a session starting', hook('SessionStart'), undefined],
  ];
  for (const [name, record, expected] of cases) {
    it(`${name} → ${expected?.state ?? 'nothing'}`, () => {
      expect(hookStatus(record)).toEqual(expected);
    });
  }

  it('reads only well-formed v1 lines', () => {
    expect(
      parseHookRecord('{"v":1,"runtime":"claude","event":"Stop","pane":"%3","notification":"","message":""}'),
    ).toEqual({ runtime: 'claude', event: 'Stop', pane: '%3' });
    for (const line of ['', '{"v":1,"runtime":"claude"', '[1]', '{"v":2,"runtime":"claude","event":"Stop"}'])
      expect(parseHookRecord(line)).toBeUndefined();
  });
});

describe("jackin's hooks merge into claude's settings", () => {
  const user = {
    model: 'opus',
    permissions: { allow: ['Bash(ls:*)'] },
    hooks: {
      PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'my-audit.sh' }] }],
      SessionStart: [{ hooks: [{ type: 'command', command: 'echo hi' }] }],
    },
  };

  it("keeps the user's keys, events and hooks, and adds one entry per status event", () => {
    const merged = mergeClaudeHooks(user) as typeof user & { hooks: Record<string, unknown[]> };
    expect(merged.model).toBe('opus');
    expect(merged.permissions).toEqual(user.permissions);
    expect(merged.hooks.SessionStart).toEqual(user.hooks.SessionStart);
    expect(Object.keys(merged.hooks).sort()).toEqual(
      ['Notification', 'PostToolUse', 'PreToolUse', 'SessionStart', 'Stop', 'UserPromptSubmit'].sort(),
    );
    expect(merged.hooks.PreToolUse).toEqual([
      user.hooks.PreToolUse[0],
      {
        matcher: '*',
        hooks: [{ type: 'command', command: 'sh /jackin/state/status/claude-hook.sh PreToolUse' }],
      },
    ]);
    expect(merged.hooks.Stop).toEqual([
      { hooks: [{ type: 'command', command: 'sh /jackin/state/status/claude-hook.sh Stop' }] },
    ]);
  });

  it('is idempotent: a relaunch replaces its own entries, also when the user put one in a shared entry', () => {
    const once = mergeClaudeHooks(user);
    expect(mergeClaudeHooks(once)).toEqual(once);
    const shared = {
      hooks: {
        Stop: [
          {
            hooks: [
              { type: 'command', command: 'notify-send done' },
              { type: 'command', command: 'sh /jackin/state/status/claude-hook.sh Stop' },
            ],
          },
        ],
      },
    };
    expect((mergeClaudeHooks(shared).hooks as Record<string, unknown>).Stop).toEqual([
      { hooks: [{ type: 'command', command: 'notify-send done' }] },
      { hooks: [{ type: 'command', command: 'sh /jackin/state/status/claude-hook.sh Stop' }] },
    ]);
  });
});

function tracker(ttl = 10_000): StatusTracker {
  return new StatusTracker({ instanceId: 'i1', session: 'main', pack, reportedTtlMs: ttl });
}
const at = (text: string, hooks?: HookRecord[]): PaneSnapshot => ({
  screen: text,
  ...(hooks ? { hooks } : {}),
});

describe('hook evidence outranks the screen', () => {
  it('publishes at once with source "hook", and the screen cannot contradict it within the TTL', () => {
    const t = tracker();
    const working = screen('working-thinking.txt');
    const blocked = t.observe(at(working, [hook('Notification', { notification: 'permission_prompt' })]), 0);
    expect(blocked.status).toEqual({
      instanceId: 'i1',
      session: 'main',
      state: 'blocked',
      source: 'hook',
      reason: 'permission prompt',
    });
    expect(() => validateNewEvent({ type: 'AgentStatusChanged', data: blocked.status! })).not.toThrow();
    for (let s = 1; s < 10; s += 1) expect(t.observe(at(working), s * 1000).status).toBeUndefined();
    // Past the TTL the screen is evidence again, debounced as ever (2 captures for working).
    expect(t.observe(at(working), 11_000).status).toBeUndefined();
    expect(t.observe(at(working), 12_000).status).toMatchObject({
      state: 'working',
      source: 'visible_screen',
    });
  });

  it('coalesces a burst of records per capture: the last one that says something wins, nothing twice', () => {
    const t = tracker();
    const idle = screen('idle-prompt.txt');
    const burst = [hook('UserPromptSubmit'), hook('PreToolUse'), hook('PostToolUse'), hook('SubagentStop')];
    expect(t.observe(at(idle, burst), 0).status).toMatchObject({ state: 'working', source: 'hook' });
    expect(t.observe(at(idle, [hook('PreToolUse'), hook('PostToolUse')]), 1000).status).toBeUndefined();
    expect(
      t.observe(at(idle, [hook('PreToolUse'), hook('Stop'), hook('SessionStart')]), 2000).status,
    ).toMatchObject({ state: 'idle', source: 'hook' });
  });

  it('a status tag outranks a hook in the same capture; a pane exit outranks both screen and hooks', () => {
    const t = tracker();
    const tagged = `${screen('idle-prompt.txt')}\n<jackin:status state="blocked" reason="need a key"/>`;
    expect(t.observe(at(tagged, [hook('PreToolUse')]), 0).status).toMatchObject({
      state: 'blocked',
      source: 'reported',
    });
    expect(t.observe({ screen: tagged, exited: true, hooks: [hook('Stop')] }, 1000).status).toMatchObject({
      state: 'done',
      source: 'foreground_process',
    });
  });

  it('a blocking dialog on screen outranks a hook report of working (a tool that asks the operator)', () => {
    const t = tracker();
    expect(t.observe(at(screen('working-thinking.txt'), [hook('PreToolUse')]), 0).status).toMatchObject({
      state: 'working',
      source: 'hook',
    });
    const dialog = screen('blocked-permission.txt');
    expect(t.observe(at(dialog), 1000).status).toBeUndefined();
    expect(t.observe(at(dialog), 2000).status).toMatchObject({ state: 'blocked', source: 'visible_screen' });
    // …but an idle-looking screen does not override a fresh hook report.
    expect(t.observe(at(screen('idle-prompt.txt'), [hook('PostToolUse')]), 3000).status).toMatchObject({
      state: 'working',
      source: 'hook',
    });
    for (let s = 4; s < 8; s += 1)
      expect(t.observe(at(screen('idle-prompt.txt')), s * 1000).status).toBeUndefined();
  });
});

describe('the watcher reads hook records after each capture', () => {
  it("drives working → blocked → idle from the hooks alone, ignoring another pane's records", async () => {
    const hooks: HookRecord[][] = [
      [hook('UserPromptSubmit', { pane: '%0' })],
      [hook('PreToolUse', { pane: '%0' }), hook('Stop', { pane: '%7' })],
      [hook('Notification', { pane: '%0', notification: 'permission_prompt' })],
      [],
      [hook('Stop', { pane: '%0' })],
      [],
    ];
    const statuses: AgentStatusChangedData[] = [];
    const controller = new AbortController();
    let tick = 0;
    await watchAgentStatus(
      { instanceId: 'i1', session: 'main', pack },
      {
        capture: () => {
          if (tick >= hooks.length) {
            controller.abort();
            return Promise.reject(new Error('pane gone'));
          }
          return Promise.resolve(paneSnapshot('starting…\n', 'claude 0 %0'));
        },
        readHooks: () => hooks[tick++] ?? [],
        sink: {
          statusChanged: (data) => Promise.resolve(void statuses.push(data)),
          tagEmitted: () => Promise.resolve(),
        },
        now: () => tick * 1000,
        sleep: () => Promise.resolve(),
      },
      controller.signal,
    );
    expect(statuses.map((s) => [s.state, s.source])).toEqual([
      ['working', 'hook'],
      ['blocked', 'hook'],
      ['idle', 'hook'],
    ]);
  });

  it('reads the pane id from tmux', () => {
    expect(paneSnapshot('x', 'claude 0 %12\n')).toEqual({
      screen: 'x',
      foreground: 'claude',
      exited: false,
      paneId: '%12',
    });
  });
});
