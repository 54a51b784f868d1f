import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertNoCanaries, canaryEnv, plantCanary, stateFiles } from '../helpers/canary.js';
import { dockerExec, instanceFixture, parseInstance } from '../helpers/instances.js';
import type { InstanceFixture } from '../helpers/instances.js';
import { execFileSync } from 'node:child_process';

let fx: InstanceFixture | undefined;
afterEach(() => fx?.cleanup());

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
}

describe('secret values at launch', () => {
  it('reach the agent, survive a restart, and leave nothing under JACKIN_HOME, in the log or in inspect', async () => {
    fx = instanceFixture('jackin-secrets-');
    const token = plantCanary('GH_TOKEN', 'ghp_');
    const operator = plantCanary('ACME_API_KEY');
    appendFileSync(
      join(fx.dir, 'config', 'config.toml'),
      '\n[github]\nauth_forward = "token"\n\n[env]\nACME_API_KEY = "$ACME_API_KEY"\n',
    );
    const env = { ...fx.env, ...canaryEnv([token, operator]) };
    const instance = parseInstance(fx.cli(['load', fx.role, fx.workspaceDir, '--detach', '--json'], { env }));

    const tmuxEnv = (): string => dockerExec(instance.name, 'tmux show-environment -g 2>/dev/null').out;
    await until(() => tmuxEnv().includes('ACME_API_KEY='));
    expect(tmuxEnv()).toContain(`GH_TOKEN=${token.value}`);
    expect(tmuxEnv()).toContain(`ACME_API_KEY=${operator.value}`);

    // The host copy is gone once the container has started; only the (empty) mount directory stays.
    const home = fx.env.JACKIN_HOME ?? '';
    const secretsDir = join(home, 'data', instance.name, 'secrets');
    expect(existsSync(secretsDir)).toBe(true);
    expect(readdirSync(secretsDir)).toEqual([]);
    const inspected = execFileSync('docker', ['inspect', instance.name], { encoding: 'utf8' });
    expect(inspected).not.toContain(token.value);
    expect(inspected).not.toContain(operator.value);
    expect(fx.cli(['history', instance.id, '--json']).stdout).not.toContain(token.value);
    expect(fx.cli(['explain', '--instance', instance.id, '--json']).stdout).not.toContain(token.value);

    // A restart in place (what hardline does for a crashed instance) still has the values.
    execFileSync('docker', ['restart', '-t', '1', instance.name]);
    await until(() => tmuxEnv().includes('ACME_API_KEY='));
    expect(tmuxEnv()).toContain(`GH_TOKEN=${token.value}`);

    const auth = fx.events(instance.id).filter((e) => e.type === 'AuthForwarded');
    expect(auth.map((e) => [e.data.runtime, e.data.mode, e.data.envNames])).toEqual([
      ['github', 'token', ['GH_TOKEN', 'GITHUB_TOKEN']],
    ]);
    assertNoCanaries(stateFiles(home), [token, operator]);
    expect(fx.cli(['eject', instance.id]).code).toBe(0);
    assertNoCanaries(stateFiles(home), [token, operator]);
  });
});
