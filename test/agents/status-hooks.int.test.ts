import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instanceStateLayout, prepareInstanceState } from '../../src/agents/instance-state.js';
import type { InstanceStateLayout } from '../../src/agents/instance-state.js';
import { resolveRuntime } from '../../src/agents/registry.js';
import { HOOK_LOG, HookLogReader, hookStatus } from '../../src/agents/status/hooks.js';

let dir: string;
let layout: InstanceStateLayout;
const claude = resolveRuntime('claude', {});
const codex = resolveRuntime('codex', {});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jackin-hooks-'));
  layout = instanceStateLayout(join(dir, 'data'), 'jk-h00k0001-app-smith');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const settingsPath = (): string => join(layout.home, '.claude', 'settings.json');

interface Settings {
  hooks: Record<string, { matcher?: string; hooks: { type: string; command: string }[] }[]>;
  [key: string]: unknown;
}
const settings = (): Settings => JSON.parse(readFileSync(settingsPath(), 'utf8')) as Settings;

/**
 * Runs the configured hook of an event the way claude does: the command through a shell, the JSON
 * payload on stdin, inside a tmux pane (TMUX_PANE). The container path /jackin/state is this
 * instance's state directory on the host.
 */
function fire(event: string, payload: Record<string, unknown>, pane = '%0'): string {
  const entries = settings().hooks[event] ?? [];
  const out: string[] = [];
  for (const entry of entries)
    for (const h of entry.hooks) {
      const command = h.command.replaceAll('/jackin/state', layout.state);
      out.push(
        execFileSync('/bin/sh', ['-c', command], {
          input: JSON.stringify({ session_id: 's1', hook_event_name: event, ...payload }),
          env: { PATH: process.env.PATH, TMUX_PANE: pane },
          encoding: 'utf8',
        }),
      );
    }
  return out.join('');
}

describe('claude status hooks in the instance state', () => {
  it('are installed for claude only, merged into settings.json the user already has', () => {
    mkdirSync(join(layout.home, '.claude'), { recursive: true });
    writeFileSync(
      settingsPath(),
      JSON.stringify({ theme: 'dark', hooks: { Stop: [{ hooks: [{ type: 'command', command: 'true' }] }] } }),
    );
    prepareInstanceState(layout, [codex]);
    expect(JSON.parse(readFileSync(settingsPath(), 'utf8'))).toEqual({
      theme: 'dark',
      hooks: { Stop: [{ hooks: [{ type: 'command', command: 'true' }] }] },
    });
    prepareInstanceState(layout, [claude, codex]);
    prepareInstanceState(layout, [claude, codex]); // a relaunch
    const merged = settings();
    expect(merged.theme).toBe('dark');
    expect(merged.hooks.Stop!.map((e) => e.hooks[0]!.command)).toEqual([
      'true',
      'sh /jackin/state/status/claude-hook.sh Stop',
    ]);
    expect(statSync(join(layout.state, 'status', 'claude-hook.sh')).mode & 0o777).toBe(0o700);
  });

  it('write one JSON line per hook, print nothing, and the reader maps them: working → blocked → idle', () => {
    prepareInstanceState(layout, [claude]);
    expect(statSync(settingsPath()).mode & 0o777).toBe(0o600);
    const reader = new HookLogReader(join(layout.state, HOOK_LOG));
    expect(reader.read()).toEqual([]);
    const printed = [
      fire('UserPromptSubmit', { prompt: 'fix the "build"\nnow' }),
      fire('PreToolUse', { tool_name: 'Write', tool_input: { content: 'x'.repeat(100_000) } }),
    ].join('');
    expect(printed).toBe(''); // a UserPromptSubmit hook's output would become prompt context
    expect(reader.read().map((r) => [r.event, r.pane, hookStatus(r)?.state])).toEqual([
      ['UserPromptSubmit', '%0', 'working'],
      ['PreToolUse', '%0', 'working'],
    ]);
    fire('Notification', {
      notification_type: 'permission_prompt',
      message: 'Claude needs your permission to use Bash \\"rm\\"\ttab',
    });
    const [blocked] = reader.read();
    expect(blocked).toEqual({
      runtime: 'claude',
      event: 'Notification',
      pane: '%0',
      notification: 'permission_prompt',
      message: 'Claude needs your permission to use Bash',
    });
    expect(hookStatus(blocked!)).toMatchObject({ state: 'blocked' });
    fire('Stop', { stop_hook_active: false }, '%4');
    expect(reader.read().map((r) => [r.event, r.pane, hookStatus(r)?.state])).toEqual([
      ['Stop', '%4', 'idle'],
    ]);
    // The log holds no payload (the huge tool input, the prompt): only the small fields.
    expect(readFileSync(join(layout.state, HOOK_LOG), 'utf8')).not.toMatch(/xxxx|build/);
  });

  it('a relaunch empties the log; the reader starts over; a partial line waits for its end', () => {
    prepareInstanceState(layout, [claude]);
    const log = join(layout.state, HOOK_LOG);
    const reader = new HookLogReader(log);
    fire('UserPromptSubmit', {});
    fire('Stop', {});
    expect(reader.read()).toHaveLength(2);
    prepareInstanceState(layout, [claude]);
    expect(readFileSync(log, 'utf8')).toBe('');
    appendFileSync(log, '{"v":1,"runtime":"claude","eve');
    expect(reader.read()).toEqual([]);
    appendFileSync(log, 'nt":"PreToolUse"}\nnot json\n');
    expect(reader.read()).toEqual([{ runtime: 'claude', event: 'PreToolUse' }]);
  });

  it('leave a settings file that is not a JSON object, or a symlink, untouched', () => {
    mkdirSync(join(layout.home, '.claude'), { recursive: true });
    writeFileSync(settingsPath(), '{ broken');
    prepareInstanceState(layout, [claude]);
    expect(readFileSync(settingsPath(), 'utf8')).toBe('{ broken');
    rmSync(settingsPath());
    const elsewhere = join(dir, 'elsewhere.json');
    writeFileSync(elsewhere, '{}');
    symlinkSync(elsewhere, settingsPath());
    prepareInstanceState(layout, [claude]);
    expect(readFileSync(elsewhere, 'utf8')).toBe('{}');
  });
});
