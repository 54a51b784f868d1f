import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { materializeAuth, writePrivateEnvFile } from '../../src/agents/auth-materialize.js';
import { planAuth } from '../../src/agents/auth-plan.js';
import { imageRuntimeSpec } from '../../src/agents/image-spec.js';
import {
  instanceStateLayout,
  prepareInstanceState,
  purgeInstanceState,
} from '../../src/agents/instance-state.js';
import { headlessArgv, resolveRuntime } from '../../src/agents/registry.js';
import { HOOK_LOG, HookLogReader } from '../../src/agents/status/hooks.js';
import { rulePackDirs, shippedPackDir } from '../../src/agents/status/packs-dir.js';
import { loadRulePacks } from '../../src/agents/status/rule-pack.js';
import type { AgentStatusChangedData, AgentTagEmittedData } from '../../src/agents/status/status-tracker.js';
import {
  abortableSleep,
  paneSnapshot,
  tmuxCaptureCommands,
  watchAgentStatus,
} from '../../src/agents/status/watcher.js';
import { globalConfigSchema } from '../../src/config/config-schema.js';
import { parseToml } from '../../src/config/toml.js';
import { assetDir } from '../../src/images/assets.js';
import type { ImageOutcome } from '../../src/images/image-service.js';
import { docker, imageHarness, removeByLabel, sharedImages, testRunLabel } from '../helpers/images.js';

// A runtime that exists only in config.toml: installed by its shell step, launched through its
// generated launcher, driven headless, and watched through the operator's own rule pack.
const SCRIPT = [
  '#!/bin/sh',
  'if [ "$1" = "--print" ]; then echo "scripted headless: $2"; exit 0; fi',
  'clear; echo "scripted agent"; echo "* Working (1s - esc to interrupt)"; sleep 4',
  'clear; echo "Run rm -rf build?"; echo "> 1. Yes  2. No"; sleep 4',
  'clear; echo "<jackin:pr url=\\"https://github.com/acme/app/pull/9\\"/>"; echo "ready> "; sleep 600',
].join('\n');

// A stand-in for claude (no API access here): it runs the hooks configured in ~/.claude/settings.json
// the way claude does — each command through /bin/sh with the event's JSON payload on stdin, inside
// its tmux pane — while its screen keeps showing the spinner, so only the hooks say blocked.
const FAKE_CLAUDE = String.raw`#!/usr/bin/env node
const { readFileSync } = require('fs');
const { spawnSync } = require('child_process');
const { homedir } = require('os');
const settings = JSON.parse(readFileSync(homedir() + '/.claude/settings.json', 'utf8'));
function fire(event, payload, tool) {
  for (const entry of (settings.hooks && settings.hooks[event]) || []) {
    if (tool && entry.matcher && entry.matcher !== '*' && !new RegExp('^(' + entry.matcher + ')$').test(tool)) continue;
    for (const hook of entry.hooks || []) {
      if (hook.type !== 'command') continue;
      const input = JSON.stringify({ session_id: 'fake', cwd: process.cwd(), hook_event_name: event, ...payload });
      spawnSync('/bin/sh', ['-c', hook.command], { input, stdio: ['pipe', 'ignore', 'inherit'], timeout: 60000 });
    }
  }
}
const show = (lines) => process.stdout.write('\x1b[2J\x1b[H' + lines.join('\n') + '\n');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
(async () => {
  show(['fake claude', '']);
  await sleep(2000);
  fire('UserPromptSubmit', { prompt: 'clean the build' });
  show(['> clean the build', '', '✻ Pondering… (1s · esc to interrupt)']);
  await sleep(3000);
  fire('PreToolUse', { tool_name: 'Bash', tool_input: { command: 'rm -rf build' } }, 'Bash');
  fire('Notification', { notification_type: 'permission_prompt', message: 'Claude needs your permission to use Bash' });
  show(['> clean the build', '', '✻ Pondering… (4s · esc to interrupt)']);
  await sleep(4000);
  fire('Stop', { stop_hook_active: false });
  show(['Done.', '', '> ', '  ? for shortcuts']);
  await sleep(600000);
})();
`;

const CONFIG = `
version = "v1alpha10"
[runtimes.hooked]
install = "echo ${Buffer.from(FAKE_CLAUDE).toString('base64')} | base64 -d > /usr/local/bin/claude && chmod 0755 /usr/local/bin/claude"
command = ["claude", "--dangerously-skip-permissions"]
[runtimes.scripted]
install = "echo ${Buffer.from(SCRIPT).toString('base64')} | base64 -d > /usr/local/bin/scripted-agent && chmod 0755 /usr/local/bin/scripted-agent"
command = ["scripted-agent"]
headless = ["scripted-agent", "--print", "{prompt}"]
api_key_env = "SCRIPTED_API_KEY"
credential_files = ["~/.scripted/login.json"]
state_dirs = ["~/.scripted"]
`;

const PACK = `
schema_version = 1
runtime = "scripted"
[[rules]]
id = "scripted-approval"
state = "blocked"
priority = 100
all = ["1. yes"]
[[rules]]
id = "scripted-working"
state = "working"
priority = 80
any = ["esc to interrupt"]
[[rules]]
id = "scripted-prompt"
state = "idle"
priority = 50
region = "bottom:2"
any = ["ready>"]
`;

const run = testRunLabel();
const identity = { uid: process.getuid!(), gid: process.getgid!() };
const scratch = mkdtempSync(join(tmpdir(), 'jackin-agent-session-'));
const config = globalConfigSchema.parse(parseToml(CONFIG, 'config.toml'));
let image: ImageOutcome;

beforeAll(async () => {
  const { construct } = await sharedImages();
  image = await imageHarness().service.ensureDerived(
    {
      roleDir: join(assetDir('roles'), 'agent-smith'),
      roleKey: 'agent-session-test',
      identity,
      runtimes: [
        imageRuntimeSpec(resolveRuntime('scripted', config)),
        imageRuntimeSpec(resolveRuntime('hooked', config)),
      ],
    },
    construct,
  );
});
afterEach(() => removeByLabel(`${run.key}=${run.value}`));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function start(
  mounts: readonly { source: string; target: string }[],
  env: Readonly<Record<string, string>>,
  runtime = 'scripted',
): string {
  const envFile = writePrivateEnvFile(env, scratch);
  try {
    return docker([
      'run',
      '-d',
      '--label',
      `${run.key}=${run.value}`,
      ...mounts.flatMap((m) => ['--mount', `type=bind,source=${m.source},target=${m.target}`]),
      '--env-file',
      envFile.path,
      '-e',
      `JACKIN_RUNTIME=${runtime}`,
      image.tag,
    ]);
  } finally {
    envFile.dispose();
  }
}

describe('a runtime defined only in config.toml', () => {
  it('runs headless with no code change', () => {
    const argv = headlessArgv(resolveRuntime('scripted', config), 'fix bug 12');
    const out = docker(['run', '--rm', '--label', `${run.key}=${run.value}`, image.tag, ...argv]);
    expect(out).toBe('scripted headless: fix bug 12');
  });

  it('sees each auth mode inside the container; its state survives a new container; purge removes it', async () => {
    const home = join(scratch, 'home');
    const layout = instanceStateLayout(join(scratch, 'data'), 'jk-sess0001-scripted');
    mkdirSync(join(home, '.scripted'), { recursive: true });
    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(join(home, '.scripted', 'login.json'), '{"login":"host"}');
    writeFileSync(join(home, '.claude', '.credentials.json'), '{"claude":"host"}');
    const runtimes = [resolveRuntime('scripted', config), resolveRuntime('claude', config)];
    const mounts = prepareInstanceState(layout, runtimes);
    const base = { instanceId: 'sess0001', runtimes, selected: 'scripted', hostHome: home, layout };
    const readOp = (): Promise<string> => Promise.reject(new Error('no op'));

    // sync (the default): both host logins are in the container, 0600.
    const synced = materializeAuth(
      await planAuth({ ...base, layers: { config }, hostEnv: {}, readOp }),
      layout,
    );
    let c = start(mounts, synced.env);
    expect(
      docker([
        'exec',
        c,
        'sh',
        '-c',
        'stat -c %a ~/.scripted/login.json ~/.claude/.credentials.json && cat ~/.scripted/login.json',
      ]),
    ).toBe('600\n600\n{"login":"host"}');
    docker(['exec', c, 'sh', '-c', 'echo turn-1 > ~/.scripted/history']);
    docker(['rm', '-f', c]);

    // api_key for claude: the key is in the container env (via a private env file), its login file is gone.
    const apiConfig = { ...config, claude: { auth_forward: 'api_key' as const } };
    const keyed = materializeAuth(
      await planAuth({
        ...base,
        layers: { config: apiConfig },
        hostEnv: { ANTHROPIC_API_KEY: 'k-123' },
        readOp,
      }),
      layout,
    );
    expect(keyed.env).toEqual({ ANTHROPIC_API_KEY: 'k-123' });
    c = start(mounts, keyed.env);
    expect(
      docker(['exec', c, 'sh', '-c', 'printenv ANTHROPIC_API_KEY; ls -A ~/.claude; cat ~/.scripted/history']),
    ).toBe('k-123\nsettings.json\nturn-1'); // claude's login is gone; its status hooks stay
    docker(['rm', '-f', c]);
    expect(purgeInstanceState(layout)).toBe(true);
    expect(() => readFileSync(join(layout.home, '.scripted', 'history'))).toThrow();
  });
});

describe('live agent status from a tmux pane', () => {
  it('a scripted session going working → blocked → idle yields exactly those events, and its PR tag', async () => {
    const jackinHome = join(scratch, 'jackin-home');
    mkdirSync(join(jackinHome, 'agent-status', 'packs'), { recursive: true });
    writeFileSync(join(jackinHome, 'agent-status', 'packs', 'scripted.toml'), PACK);
    const pack = loadRulePacks(rulePackDirs(jackinHome)).get('scripted');
    const container = start([], {});
    const commands = tmuxCaptureCommands('main');
    const exec = (argv: string[]): string =>
      execFileSync('docker', ['exec', container, ...argv], { encoding: 'utf8' });
    const statuses: AgentStatusChangedData[] = [];
    const tags: AgentTagEmittedData[] = [];
    const controller = new AbortController();
    const watching = watchAgentStatus(
      { instanceId: 'sess0002', session: 'main', pack, intervalMs: 300 },
      {
        capture: () => Promise.resolve(paneSnapshot(exec(commands.screen), exec(commands.process))),
        sink: {
          statusChanged: (data) => Promise.resolve(void statuses.push(data)),
          tagEmitted: (data) => Promise.resolve(void tags.push(data)),
        },
        now: () => Date.now(),
        sleep: abortableSleep,
      },
      controller.signal,
    );
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && statuses.length < 3) await abortableSleep(250, controller.signal);
    await abortableSleep(1500, controller.signal); // nothing more may follow
    controller.abort();
    expect(await watching).toBe('aborted');
    expect(statuses.map((s) => s.state)).toEqual(['working', 'blocked', 'idle']);
    expect(tags).toEqual([
      { instanceId: 'sess0002', session: 'main', tag: 'pr', url: 'https://github.com/acme/app/pull/9' },
    ]);
  });
});

describe("live agent status from claude's own hooks", () => {
  it('a claude driving its installed hooks yields working → blocked → idle with source "hook", over the screen', async () => {
    // The instance state as a launch prepares it: claude's settings.json gets jackin's hooks.
    const layout = instanceStateLayout(join(scratch, 'data'), 'jk-hook0001-claude');
    const mounts = prepareInstanceState(layout, [resolveRuntime('claude', config)]);
    const pack = loadRulePacks([shippedPackDir()]).get('claude');
    const container = start(mounts, {}, 'hooked');
    const commands = tmuxCaptureCommands('main');
    const exec = (argv: string[]): string =>
      execFileSync('docker', ['exec', container, ...argv], { encoding: 'utf8' });
    const hooks = new HookLogReader(join(layout.state, HOOK_LOG));
    const statuses: AgentStatusChangedData[] = [];
    const controller = new AbortController();
    const watching = watchAgentStatus(
      { instanceId: 'hook0001', session: 'main', pack, intervalMs: 300 },
      {
        capture: () => Promise.resolve(paneSnapshot(exec(commands.screen), exec(commands.process))),
        readHooks: () => hooks.read(),
        sink: {
          statusChanged: (data) => Promise.resolve(void statuses.push(data)),
          tagEmitted: () => Promise.resolve(),
        },
        now: () => Date.now(),
        sleep: abortableSleep,
      },
      controller.signal,
    );
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && statuses.length < 3) await abortableSleep(250, controller.signal);
    await abortableSleep(1500, controller.signal); // nothing more may follow
    controller.abort();
    expect(await watching).toBe('aborted');
    expect(statuses.map((s) => [s.state, s.source])).toEqual([
      ['working', 'hook'],
      ['blocked', 'hook'],
      ['idle', 'hook'],
    ]);
    expect(statuses[1]!.reason).toBe('Claude needs your permission to use Bash');
    // The records came from the pane the watcher follows (TMUX_PANE of the session).
    const log = readFileSync(join(layout.state, HOOK_LOG), 'utf8').trim().split('\n');
    const pane = exec(['tmux', 'display-message', '-p', '-t', 'main', '#{pane_id}']).trim();
    expect(log.map((line) => (JSON.parse(line) as { event: string; pane: string }).event)).toEqual([
      'UserPromptSubmit',
      'PreToolUse',
      'Notification',
      'Stop',
    ]);
    expect(new Set(log.map((line) => (JSON.parse(line) as { pane: string }).pane))).toEqual(new Set([pane]));
  });
});
