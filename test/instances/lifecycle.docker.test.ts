import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TmuxPane } from '../console/tmux.js';
import { sharedImages } from '../helpers/images.js';
import {
  dockerExec,
  inspect,
  instanceFixture,
  labelledObjects,
  parseInstance,
} from '../helpers/instances.js';
import type { InstanceFixture } from '../helpers/instances.js';

let fx: InstanceFixture;
let pane: TmuxPane | undefined;

beforeAll(async () => {
  await sharedImages();
});
beforeEach(() => {
  fx = instanceFixture('jackin-life-');
});
afterEach(() => {
  pane?.kill();
  pane = undefined;
  fx.cleanup();
});

interface StatusJson {
  instances: {
    id: string;
    name: string;
    state: string;
    exit_code: number | null;
    cpu_percent: number | null;
    memory_bytes: number | null;
    links: unknown[];
  }[];
}

function status(): StatusJson['instances'] {
  const r = fx.cli(['status', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as StatusJson).instances;
}

describe('the terminal path, in tmux with the stub runtime', () => {
  it('load attaches to the agent; detach keeps it running; hardline shows it again; a crash restarts in place; eject leaves nothing', async () => {
    pane = new TmuxPane(`jl${process.pid}`, { columns: 100, rows: 30 });
    pane.start(['load', fx.role, fx.workspaceDir, '--agent', 'stub'], {
      ...fx.env,
      TERM: 'xterm-256color',
    });
    await pane.waitFor((s) => s.includes('jackin stub runtime'), 120_000);
    pane.keys('first line', 'Enter');
    await pane.waitFor((s) => s.includes('stub> first line'));
    pane.keys('C-b', 'd');
    await pane.waitFor((s) => /detached/.test(s) && s.includes('EXIT=0'));
    pane.kill();
    const [running] = status();
    expect(running?.state).toBe('running');
    // One docker stats sample per `status`: a running instance has CPU and memory, no links.
    expect(running?.cpu_percent).toEqual(expect.any(Number));
    expect(running?.memory_bytes).toBeGreaterThan(0);
    expect(running?.links).toEqual([]);
    const id = running?.id ?? '';
    expect(inspect(running?.name ?? '', '{{.State.Running}}')).toBe('true');

    pane = new TmuxPane(`jh${process.pid}`, { columns: 100, rows: 30 });
    pane.start(['hardline', id], { ...fx.env, TERM: 'xterm-256color' });
    await pane.waitFor((s) => s.includes('stub> first line'), 30_000);
    pane.keys('C-b', 'd');
    await pane.waitFor((s) => s.includes('EXIT=0'));
    pane.kill();

    // A crash (the container killed) is recorded by the reconciler and restarted in place by hardline.
    execFileSync('docker', ['kill', running?.name ?? '']);
    const [crashed] = status();
    expect(crashed?.state).toBe('exited');
    expect(crashed?.exit_code).toBe(137);
    expect(crashed?.memory_bytes).toBeNull();
    pane = new TmuxPane(`jr${process.pid}`, { columns: 100, rows: 30 });
    pane.start(['hardline', id], { ...fx.env, TERM: 'xterm-256color' });
    await pane.waitFor((s) => s.includes('jackin stub runtime'), 60_000);
    pane.keys('C-b', 'd');
    await pane.waitFor((s) => s.includes('EXIT=0'));
    expect(status()[0]?.state).toBe('running');

    const eject = fx.cli(['eject', id]);
    expect(eject.code, eject.stderr).toBe(0);
    expect(labelledObjects(id)).toEqual([]);
    // The status watcher ends at its next capture (about a second), not after ten failed ones.
    const watchLog = join(fx.dir, 'home', 'logs', `watch-${id}.log`);
    const deadline = Date.now() + 5000;
    while (
      !readFileSync(watchLog, 'utf8').trim().endsWith('watch ended (container_gone)') &&
      Date.now() < deadline
    )
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readFileSync(watchLog, 'utf8').trim()).toMatch(/watch ended \(container_gone\)$/);
    const types = fx.events(id).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'InstanceLaunchRequested',
        'InstanceNetworkCreated',
        'InstanceSidecarReady',
        'InstanceWorkspaceMaterialized',
        'InstanceContainerStarted',
        'InstanceAttached',
        'InstanceDetached',
        'InstanceExited',
        'InstanceRestartRequested',
        'InstanceRestarted',
        'InstanceEjectRequested',
        'InstanceEjected',
      ]),
    );
    expect(types.indexOf('InstanceRestartRequested')).toBeLessThan(types.indexOf('InstanceRestarted'));
  });
});

describe('many instances', () => {
  it('5 parallel loads give 5 distinct healthy instances; purge refuses while they exist; exile removes them all', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        fx.cliAsync(['load', fx.role, fx.workspaceDir, '--agent', 'stub', '--detach', '--json']),
      ),
    );
    const launched = results.map(parseInstance);
    expect(new Set(launched.map((i) => i.id)).size).toBe(5);
    expect(new Set(launched.map((i) => i.sidecar)).size).toBe(5);
    for (const inst of launched) {
      expect(dockerExec(inst.name, 'docker info --format "{{.Name}}"').out.trim()).toBe(inst.sidecar);
      // Each object is labelled, the certs volume included: the role container, made while the
      // sidecar boots, must not be first to mount it (Docker would make it unlabelled).
      expect(
        labelledObjects(inst.id)
          .map((o) => o.split(' ')[0])
          .sort(),
      ).toEqual(['container', 'container', 'network', 'volume']);
    }
    expect(status().filter((i) => i.state === 'running')).toHaveLength(5);

    const first = launched[0]?.id ?? '';
    const refused = fx.cli(['purge', first]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/still has containers/);

    const exile = fx.cli(['exile', '--json']);
    expect(exile.code, exile.stderr).toBe(0);
    expect((JSON.parse(exile.stdout) as { instances: unknown[] }).instances).toHaveLength(5);
    for (const inst of launched) expect(labelledObjects(inst.id)).toEqual([]);
    const stateDir = join(fx.dir, 'home', 'data', launched[0]?.name ?? '');
    expect(existsSync(stateDir)).toBe(true);
    const purge = fx.cli(['purge', first]);
    expect(purge.code, purge.stderr).toBe(0);
    expect(existsSync(stateDir)).toBe(false);
  });
});

describe('worktree isolation', () => {
  function gitRepo(): string {
    const repo = join(fx.dir, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 'T');
    writeFileSync(join(repo, 'README'), 'repo\n');
    git('add', '.');
    git('commit', '-q', '-m', 'init');
    writeFileSync(
      join(fx.dir, 'config', 'workspaces', 'wt.toml'),
      `version = "v1alpha9"\nworkdir = "/work/repo"\n\n[[mounts]]\nsrc = "${repo}"\ndst = "/work/repo"\nisolation = "worktree"\n`,
    );
    return repo;
  }

  it('creates jackin/scratch/<id>, refuses a dirty host tree, keeps a dirty worktree on eject and removes a clean one', async () => {
    const repo = gitRepo();
    const branches = (): string =>
      execFileSync('git', ['branch', '--list', 'jackin/*'], { cwd: repo, encoding: 'utf8' });
    const [r1, r2] = await Promise.all([
      fx.cliAsync(['load', fx.role, '--workspace', 'wt', '--agent', 'stub', '--detach', '--json']),
      fx.cliAsync(['load', fx.role, '--workspace', 'wt', '--agent', 'stub', '--detach', '--json']),
    ]);
    const dirty = parseInstance(r1);
    const clean = parseInstance(r2);
    expect(branches()).toContain(`jackin/scratch/${dirty.id}`);
    expect(branches()).toContain(`jackin/scratch/${clean.id}`);
    // git works inside the container on the scratch branch
    expect(dockerExec(dirty.name, 'cd /work/repo && git rev-parse --abbrev-ref HEAD').out.trim()).toBe(
      `jackin/scratch/${dirty.id}`,
    );
    expect(dockerExec(dirty.name, 'echo change >> /work/repo/README').code).toBe(0);

    const ejectDirty = fx.cli(['eject', dirty.id, '--json']);
    expect(ejectDirty.code, ejectDirty.stderr).toBe(0);
    const kept =
      (JSON.parse(ejectDirty.stdout) as { instances: { kept: string[] }[] }).instances[0]?.kept ?? [];
    expect(kept[0]).toMatch(/uncommitted changes/);
    expect(branches()).toContain(`jackin/scratch/${dirty.id}`);

    const ejectClean = fx.cli(['eject', clean.id, '--json']);
    expect(ejectClean.code, ejectClean.stderr).toBe(0);
    expect((JSON.parse(ejectClean.stdout) as { instances: { kept: string[] }[] }).instances[0]?.kept).toEqual(
      [],
    );
    expect(branches()).not.toContain(`jackin/scratch/${clean.id}`);
    expect(existsSync(join(fx.dir, 'home', 'data', clean.name, 'git', 'worktree-0'))).toBe(false);

    // The host tree is dirty now: refused without --force, and nothing is created.
    writeFileSync(join(repo, 'README'), 'host edit\n');
    const refused = fx.cli(['load', fx.role, '--workspace', 'wt', '--agent', 'stub', '--detach']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/uncommitted changes/);
    expect(refused.stderr).toMatch(/--force/);
    expect(fx.instanceIds()).toHaveLength(2);
  });
});
