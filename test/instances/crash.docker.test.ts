import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sharedImages } from '../helpers/images.js';
import { instanceFixture, killAfterStage, labelledObjects } from '../helpers/instances.js';
import type { InstanceFixture } from '../helpers/instances.js';

let fx: InstanceFixture;

beforeAll(async () => {
  await sharedImages();
});
beforeEach(() => {
  fx = instanceFixture('jackin-crash-');
});
afterEach(() => {
  fx.cleanup();
});

/** Starts a detached load that pauses after `stage`, waits for that stage's progress line, then SIGKILLs it. */
const loadAndKillAfter = (stage: string): Promise<void> =>
  killAfterStage(fx, ['load', fx.role, fx.workspaceDir, '--agent', 'stub', '--detach'], stage);

const OUTCOMES: Record<string, string[]> = {
  InstanceLaunchRequested: ['InstanceContainerStarted', 'InstanceLaunchFailed', 'InstanceAdopted'],
  InstanceEjectRequested: ['InstanceEjected', 'InstanceEjectFailed'],
  InstanceRestartRequested: ['InstanceRestarted', 'InstanceRestartFailed'],
};

/** The state of the instance's role container (`created`, `running`…), or '' when there is none. */
const roleState = (id: string): string =>
  execFileSync(
    'docker',
    [
      'ps',
      '-a',
      '--filter',
      `label=dev.jackin.instance=${id}`,
      '--filter',
      'label=dev.jackin.kind=role',
      '--format',
      '{{.State}}',
    ],
    { encoding: 'utf8' },
  ).trim();

/** Every intent in the stream is followed by one of its outcomes. */
function unresolvedIntents(id: string): string[] {
  const types = fx.events(id).map((e) => e.type);
  return types.filter((type, index) => {
    const outcomes = OUTCOMES[type];
    return outcomes !== undefined && !types.slice(index + 1).some((t) => outcomes.includes(t));
  });
}

describe('crash consistency: SIGKILL of jackin during a launch', () => {
  it.each(['network', 'sidecar', 'container'])(
    'after %s: status reconciles, prune leaves nothing, the log says what happened',
    async (stage) => {
      await loadAndKillAfter(stage);
      const [id] = fx.instanceIds();
      expect(id).toBeDefined();
      const instanceId = id ?? '';
      expect(unresolvedIntents(instanceId)).toEqual(['InstanceLaunchRequested']);
      expect(labelledObjects(instanceId).length).toBeGreaterThan(0);
      // The role container is made while dockerd boots in the sidecar, and started once it answers.
      if (stage === 'sidecar') expect(roleState(instanceId)).toBe('created');

      const status = fx.cli(['status', '--json']);
      expect(status.code, status.stderr).toBe(0);
      const row = (JSON.parse(status.stdout) as { instances: { id: string; state: string }[] }).instances[0];
      const events = fx.events(instanceId);
      const reconciled = events.filter((e) => e.actor === 'reconciler').map((e) => e.type);
      if (stage === 'container') {
        // The role container was running: the launch is adopted, not thrown away.
        expect(row?.state).toBe('running');
        expect(reconciled).toEqual(['InstanceAdopted']);
        const eject = fx.cli(['eject', instanceId]);
        expect(eject.code, eject.stderr).toBe(0);
      } else {
        expect(row?.state).toBe('failed');
        expect(reconciled).toEqual(['InstanceOrphanRemoved', 'InstanceLaunchFailed']);
      }
      expect(unresolvedIntents(instanceId)).toEqual([]);
      const prune = fx.cli(['prune', 'instances', '--json']);
      expect(prune.code, prune.stderr).toBe(0);
      expect(labelledObjects(instanceId)).toEqual([]);
    },
  );
});

describe('bad input: a clear error, the right exit code, nothing left behind', () => {
  const nothingLeft = (): void => {
    for (const id of fx.instanceIds()) expect(labelledObjects(id)).toEqual([]);
  };

  it('unknown role, workspace, instance and a missing mount source', () => {
    const role = fx.cli(['load', './no-such-role', fx.workspaceDir, '--detach']);
    expect(role.code).toBe(2);
    expect(role.stderr).toMatch(/^jackin: .*no-such-role/m);
    const ws = fx.cli(['load', fx.role, '--workspace', 'nope', '--agent', 'stub', '--detach']);
    expect(ws.code).toBe(3);
    expect(ws.stderr).toMatch(/nope/);
    for (const command of [
      ['eject', 'zzzzzzzz'],
      ['hardline', 'zzzzzzzz'],
      ['purge', 'zzzzzzzz'],
      ['explain', '--instance', 'zzzzzzzz'],
    ]) {
      const r = fx.cli(command);
      expect(r.code, command.join(' ')).toBe(3);
      expect(r.stderr).toMatch(/no instance matches 'zzzzzzzz'/);
    }
    const mount = fx.cli([
      'load',
      fx.role,
      fx.workspaceDir,
      '--agent',
      'stub',
      '--mount',
      '/no/such/dir:/x',
      '--detach',
    ]);
    expect(mount.code).toBe(2);
    expect(mount.stderr).toMatch(/\/no\/such\/dir/);
    expect(fx.instanceIds()).toEqual([]);
  });

  it('Docker down: exit 5 before anything is recorded', () => {
    const r = fx.cli(['load', fx.role, fx.workspaceDir, '--agent', 'stub', '--detach'], {
      env: { ...fx.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^jackin: cannot connect to the Docker engine/m);
    expect(r.stderr).toMatch(/^hint: /m);
    expect(fx.instanceIds()).toEqual([]);
    const status = fx.cli(['status'], { env: { ...fx.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(status.code).toBe(5);
  });

  it('a sidecar that never gets ready: launch fails at the sidecar stage, everything it made is removed', () => {
    const r = fx.cli(['load', fx.role, fx.workspaceDir, '--agent', 'stub', '--detach'], {
      env: { ...fx.env, JACKIN_SIDECAR_TIMEOUT_MS: '50' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^jackin: the DinD sidecar \S+ did not answer over TLS within 50 ms/m);
    const [id] = fx.instanceIds();
    const events = fx.events(id ?? '');
    expect(events.at(-1)).toMatchObject({ type: 'InstanceLaunchFailed', data: { stage: 'sidecar' } });
    expect(unresolvedIntents(id ?? '')).toEqual([]);
    nothingLeft();
    expect(readdirSync(join(fx.dir, 'home', 'data'))).toEqual([]);
    expect(existsSync(join(fx.dir, 'home', 'data'))).toBe(true);
  });
});
