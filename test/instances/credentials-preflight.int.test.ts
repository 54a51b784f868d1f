import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { instanceFixture } from '../helpers/instances.js';
import type { InstanceFixture } from '../helpers/instances.js';

// Docker is pointed at a socket that does not exist: a launch that reached the engine would exit 5
// (docker_unavailable). A missing credential must stop it earlier, with exit 2, having recorded nothing.
const NO_DOCKER = { DOCKER_HOST: 'unix:///nonexistent/jackin-test.sock', DOCKER_CONTEXT: '' };

let fx: InstanceFixture | undefined;
afterEach(() => fx?.cleanup());

describe('a mode whose credential is missing fails before Docker', () => {
  it('github token mode without GH_TOKEN: exit 2 naming the scope, nothing recorded, no state dir', () => {
    fx = instanceFixture('jackin-cred-');
    appendFileSync(join(fx.dir, 'config', 'config.toml'), '\n[github]\nauth_forward = "token"\n');
    const env = { ...fx.env, ...NO_DOCKER, GH_TOKEN: undefined, GITHUB_TOKEN: undefined };

    const failed = fx.cli(['load', fx.role, fx.workspaceDir, '--detach', '--json'], { env });
    expect(failed.code, failed.stderr).toBe(2);
    const error = (JSON.parse(failed.stdout) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('credential_missing');
    expect(error.message).toContain('github: auth mode token (chosen by global');
    expect(error.message).toContain('GH_TOKEN');
    // "No event claiming something happened that did not": not even the launch intent.
    expect(fx.instanceIds()).toEqual([]);
    const data = join(fx.env.JACKIN_HOME ?? '', 'data');
    expect(existsSync(data) ? readdirSync(data) : []).toEqual([]);

    // Control: with the token present the same launch gets past the credentials and meets Docker.
    const reached = fx.cli(['load', fx.role, fx.workspaceDir, '--detach', '--json'], {
      env: { ...env, GH_TOKEN: 'ghp_present' },
    });
    expect(reached.code, reached.stderr).toBe(5);
    expect(fx.instanceIds()).toEqual([]);
  });
});
