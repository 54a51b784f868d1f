import { describe, expect, expectTypeOf, it } from 'vitest';
import { BUILTIN_ADAPTERS, PINNED } from '../../src/agents/builtin-runtimes.js';
import { imageRuntimeSpec } from '../../src/agents/image-spec.js';
import {
  headlessArgv,
  interactiveArgv,
  listRuntimeNames,
  resolveRuntime,
} from '../../src/agents/registry.js';
import { globalConfigSchema } from '../../src/config/config-schema.js';
import { parseToml } from '../../src/config/toml.js';
import type { RuntimeSpec } from '../../src/images/derived-image.js';
import { jackinLayer } from '../../src/images/derived-image.js';
import { launcherScript, runtimeInstallLines } from '../../src/images/runtime-install.js';
import { JackinError } from '../../src/kernel/errors.js';

const FULL_SPEED: Record<string, string> = {
  claude: '--dangerously-skip-permissions',
  codex: '--dangerously-bypass-approvals-and-sandbox',
  amp: '--dangerously-allow-all',
  kimi: '--yolo',
};

const identity = { uid: 1234, gid: 5678 };

describe('built-in runtime adapters', () => {
  it('are the five runtimes of the spec, each with its full-speed mode', () => {
    expect(Object.keys(BUILTIN_ADAPTERS).sort()).toEqual(['amp', 'claude', 'codex', 'kimi', 'opencode']);
    for (const [name, flag] of Object.entries(FULL_SPEED)) {
      const adapter = resolveRuntime(name, {});
      expect(interactiveArgv(adapter)).toContain(flag);
      expect(adapter.interactive[0]).toBe(name);
    }
    // opencode has no flag: permissions are allowed through its inline config.
    expect(JSON.parse(resolveRuntime('opencode', {}).launchEnv.OPENCODE_CONFIG_CONTENT!)).toEqual({
      permission: 'allow',
    });
  });

  it('build headless argv for a prompt (the task queue) with the prompt as one argument', () => {
    const prompt = 'fix issue #12; rm -rf / "quoted"';
    expect(headlessArgv(resolveRuntime('claude', {}), prompt)).toEqual([
      'claude',
      '--dangerously-skip-permissions',
      '-p',
      prompt,
    ]);
    expect(headlessArgv(resolveRuntime('codex', {}), prompt).slice(0, 2)).toEqual(['codex', 'exec']);
    expect(headlessArgv(resolveRuntime('codex', {}), prompt).at(-1)).toBe(prompt);
    expect(headlessArgv(resolveRuntime('amp', {}), prompt)).toEqual([
      'amp',
      '--dangerously-allow-all',
      '-x',
      prompt,
    ]);
    expect(headlessArgv(resolveRuntime('opencode', {}), prompt)).toEqual(['opencode', 'run', prompt]);
    expect(headlessArgv(resolveRuntime('kimi', {}), prompt)).toContain('--yolo');
    expect(() => headlessArgv(resolveRuntime('claude', {}), '')).toThrow(JackinError);
  });

  it('pass the role model with the runtime flag, before the prompt; amp has none', () => {
    expect(interactiveArgv(resolveRuntime('claude', {}), { model: 'opus' }).slice(-2)).toEqual([
      '--model',
      'opus',
    ]);
    expect(headlessArgv(resolveRuntime('codex', {}), 'go', { model: 'gpt-5' }).slice(-4)).toEqual([
      '-m',
      'gpt-5',
      '--skip-git-repo-check',
      'go',
    ]);
    expect(headlessArgv(resolveRuntime('opencode', {}), 'go', { model: 'a/b' })).toEqual([
      'opencode',
      'run',
      '-m',
      'a/b',
      'go',
    ]);
    expect(interactiveArgv(resolveRuntime('amp', {}), { model: 'x' })).toEqual([
      'amp',
      '--dangerously-allow-all',
    ]);
  });

  it('declare API-key env, credential files and persisted state per runtime', () => {
    expect(resolveRuntime('claude', {}).auth).toMatchObject({
      apiKeyEnv: 'ANTHROPIC_API_KEY',
      oauthTokenEnv: 'CLAUDE_CODE_OAUTH_TOKEN',
    });
    expect(resolveRuntime('codex', {}).credentials.map((c) => c.path)).toEqual(['.codex/auth.json']);
    expect(resolveRuntime('amp', {}).stateDirs.map((s) => s.path)).toEqual([
      '.local/share/amp',
      '.config/amp',
    ]);
    for (const adapter of Object.values(BUILTIN_ADAPTERS)) {
      expect(adapter.stateDirs.length).toBeGreaterThan(0);
      for (const credential of adapter.credentials) {
        // Every credential lives inside a persisted path, so the sync copy reaches the container.
        expect(
          adapter.stateDirs.some(
            (s) => credential.path === s.path || credential.path.startsWith(`${s.path}/`),
          ),
        ).toBe(true);
      }
    }
  });

  it('name the unknown runtime and the known ones', () => {
    expect(() => resolveRuntime('gemini', {})).toThrow(/unknown runtime 'gemini'[\s\S]*/);
    try {
      resolveRuntime('gemini', {});
    } catch (error) {
      expect((error as JackinError).code).toBe('not_found');
      expect((error as JackinError).hint).toContain('claude, codex, amp, kimi, opencode');
    }
  });
});

describe('a runtime defined only in config.toml', () => {
  const toml = `
version = "v1alpha10"

[runtimes.aider]
npm_package = "aider-shim@1.2.3"
command = ["aider", "--yes-always"]
headless = ["aider", "--yes-always", "--message", "{prompt}", "--exit"]
api_key_env = "AIDER_API_KEY"
credential_files = ["~/.aider/oauth.json"]
state_dirs = ["~/.aider"]
model_flag = "--model"
launch_env = { AIDER_DARK_MODE = "1" }
`;
  const config = globalConfigSchema.parse(parseToml(toml, 'config.toml'));

  it('resolves with no code change and yields its headless argv', () => {
    const adapter = resolveRuntime('aider', config);
    expect(adapter.builtin).toBe(false);
    expect(headlessArgv(adapter, 'add tests', { model: 'sonnet' })).toEqual([
      'aider',
      '--yes-always',
      '--model',
      'sonnet',
      '--message',
      'add tests',
      '--exit',
    ]);
    expect(headlessArgv(adapter, 'add tests')).toEqual([
      'aider',
      '--yes-always',
      '--message',
      'add tests',
      '--exit',
    ]);
    expect(interactiveArgv(adapter, { model: 'sonnet' })).toEqual([
      'aider',
      '--yes-always',
      '--model',
      'sonnet',
    ]);
    expect(adapter.auth).toEqual({
      modes: ['sync', 'api_key', 'ignore'],
      apiKeyEnv: 'AIDER_API_KEY',
      oauthTokenEnv: undefined,
    });
    expect(adapter.credentials).toEqual([{ path: '.aider/oauth.json', kind: 'file', role: 'credential' }]);
    expect(adapter.stateDirs).toEqual([{ path: '.aider', kind: 'dir' }]);
    expect(listRuntimeNames(config)).toEqual(['claude', 'codex', 'amp', 'kimi', 'opencode', 'aider']);
  });

  it('appends the prompt when the headless command has no {prompt} slot', () => {
    const bare = globalConfigSchema.parse(
      parseToml('version = "v1alpha10"\n[runtimes.echoer]\ncommand = ["echoer", "--auto"]\n', 'config.toml'),
    );
    expect(headlessArgv(resolveRuntime('echoer', bare), 'hello')).toEqual(['echoer', '--auto', 'hello']);
    expect(resolveRuntime('echoer', bare).install).toEqual({ kind: 'none' });
  });

  it('installs from npm at its pinned version in the derived image', () => {
    const spec = imageRuntimeSpec(resolveRuntime('aider', config));
    expect(spec.version).toBe('1.2.3');
    const lines = runtimeInstallLines([spec], identity).join('\n');
    expect(lines).toContain('aider-shim@1.2.3');
    expect(launcherScript(spec)).toContain(`export AIDER_DARK_MODE='1'`);
    expect(launcherScript(spec)).toContain(`exec 'aider' '--yes-always' "$@"`);
  });
});

describe('derived image installs', () => {
  const specs = ['claude', 'codex', 'amp', 'opencode'].map((name) =>
    imageRuntimeSpec(resolveRuntime(name, {})),
  );

  it('are structurally the images layer RuntimeSpec (no import between the two layers)', () => {
    expectTypeOf(specs[0]!).toExtend<RuntimeSpec>();
  });

  it('install Node 22 first, then each runtime from npm at its pin, then the launchers', () => {
    const lines = runtimeInstallLines(specs, identity);
    expect(lines[0]).toContain(`node@${PINNED.node}`);
    const body = lines.join('\n');
    for (const pkg of [
      `@anthropic-ai/claude-code@${PINNED.claude}`,
      `@openai/codex@${PINNED.codex}`,
      `@ampcode/cli@${PINNED.amp}`,
      `opencode-ai@${PINNED.opencode}`,
    ])
      expect(body).toContain(pkg);
    expect(body).toContain('COPY .jackin/launchers/ /jackin/runtime/bin/');
    expect(body).toContain('chown -R 1234:5678 /home/agent');
  });

  it('fail the kimi build with a clear message when its vendor installer is unreachable', () => {
    const kimi = imageRuntimeSpec(resolveRuntime('kimi', {}));
    const body = runtimeInstallLines([kimi], identity).join('\n');
    expect(body).toContain('https://code.kimi.com/kimi-code/install.sh');
    expect(body).toMatch(/cannot install kimi: its vendor installer .* is unreachable from this build/);
    expect(jackinLayer(identity, [kimi])).toContain('/opt/jackin/runtimes/kimi/bin:');
  });

  it('leave a stub-only layer exactly as before (no install lines)', () => {
    const stub = jackinLayer(identity, [{ name: 'stub', version: '0.1.0' }]);
    expect(stub).not.toContain('npm install');
    expect(stub).not.toContain('launchers');
  });
});
