import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listInstanceObjects, removeInstanceObjectsListed } from '../../src/engine/instances/teardown.js';
import { createDockerRuntime } from '../../src/runtime/docker/index.js';
import { LABEL, managedLabels } from '../../src/runtime/labels.js';
import { sharedImages } from '../helpers/images.js';
import {
  dockerExec,
  gitIn,
  instanceFixture,
  labelledObjects,
  parseInstance,
  removeInstanceObjects,
} from '../helpers/instances.js';
import type { InstanceFixture } from '../helpers/instances.js';

let fx: InstanceFixture;

beforeAll(async () => {
  await sharedImages();
});
beforeEach(() => {
  fx = instanceFixture('jackin-eject-');
});
afterEach(() => {
  fx.cleanup();
});

describe('teardown', () => {
  it('runs its companion work once every container is gone, beside the volume and network removal', async () => {
    const runtime = createDockerRuntime(process.env);
    const id = `t${randomBytes(4).toString('hex')}`;
    const name = `jk-eject-test-${id}`;
    const labels = (kind: 'role' | 'dind' | 'network' | 'certs'): Record<string, string> =>
      managedLabels(kind, { [LABEL.instance]: id });
    try {
      await runtime.networks.create({ name: `${name}-net`, labels: labels('network') });
      await runtime.volumes.create({ name: `${name}-certs`, labels: labels('certs') });
      for (const kind of ['dind', 'role'] as const) {
        const container = await runtime.containers.create({
          image: 'jackin/debian-base:bookworm',
          name: `${name}-${kind}`,
          cmd: ['sleep', 'infinity'],
          labels: labels(kind),
          network: `${name}-net`,
          mounts: [{ type: 'volume', source: `${name}-certs`, target: '/certs' }],
        });
        await runtime.containers.start(container);
      }
      const listed = await listInstanceObjects(runtime, id);
      // Role container first, whatever order Docker listed them in.
      expect(listed.containers.map((c) => c.labels[LABEL.kind])).toEqual(['role', 'dind']);
      let seen: string[] | undefined;
      const removed = await removeInstanceObjectsListed(runtime, listed, () => {
        seen = labelledObjects(id).filter((o) => o.startsWith('container '));
        return Promise.resolve();
      });
      expect(seen).toEqual([]);
      expect(removed.map((o) => o.kind)).toEqual(['role', 'dind', 'certs', 'network']);
      expect(labelledObjects(id)).toEqual([]);

      // A failing companion is reported once the removals beside it have settled.
      const again = await listInstanceObjects(runtime, id);
      await expect(
        removeInstanceObjectsListed(runtime, again, () => Promise.reject(new Error('companion failed'))),
      ).rejects.toThrow('companion failed');
    } finally {
      removeInstanceObjects(id);
    }
  });
});

describe('eject with isolated checkouts', () => {
  function repo(name: string): string {
    const dir = join(fx.dir, name);
    mkdirSync(dir);
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    writeFileSync(join(dir, 'README'), `${name}\n`);
    gitIn(dir, 'add', '.');
    gitIn(dir, 'commit', '-q', '-m', 'init');
    return dir;
  }

  /** A workspace with a worktree mount of one repository and a clone mount of another. */
  function twoRepos(): { a: string; b: string } {
    const a = repo('repo-a');
    const b = repo('repo-b');
    writeFileSync(
      join(fx.dir, 'config', 'workspaces', 'two.toml'),
      [
        'version = "v1alpha9"',
        'workdir = "/work/a"',
        '',
        '[[mounts]]',
        `src = "${a}"`,
        'dst = "/work/a"',
        'isolation = "worktree"',
        '',
        '[[mounts]]',
        `src = "${b}"`,
        'dst = "/work/b"',
        'isolation = "clone"',
        '',
      ].join('\n'),
    );
    return { a, b };
  }

  const branches = (dir: string): string => gitIn(dir, 'branch', '--list', 'jackin/*');

  /** Loads the two-repository workspace and leaves an uncommitted change in the worktree. */
  async function loadWithDirtyWorktree(): Promise<{
    a: string;
    inst: ReturnType<typeof parseInstance>;
    stateDir: string;
    worktree: string;
    clone: string;
  }> {
    const { a } = twoRepos();
    const inst = parseInstance(
      await fx.cliAsync(['load', fx.role, '--workspace', 'two', '--agent', 'stub', '--detach', '--json']),
    );
    const stateDir = join(fx.dir, 'home', 'data', inst.name);
    expect(dockerExec(inst.name, 'echo change >> /work/a/README').code).toBe(0);
    return {
      a,
      inst,
      stateDir,
      worktree: join(stateDir, 'git', 'worktree-0'),
      clone: join(stateDir, 'git', 'clone-1'),
    };
  }

  it('keeps the dirty worktree and removes the clean clone (both repositories at once), and purge removes the kept one', async () => {
    const { a, inst, stateDir, worktree, clone } = await loadWithDirtyWorktree();
    expect(existsSync(worktree)).toBe(true);
    expect(existsSync(clone)).toBe(true);

    const ejected = fx.cli(['eject', inst.id, '--json']);
    expect(ejected.code, ejected.stderr).toBe(0);
    const [result] = (JSON.parse(ejected.stdout) as { instances: { kept: string[] }[] }).instances;
    expect(result?.kept).toEqual([`${worktree} (uncommitted changes)`]);
    expect(labelledObjects(inst.id)).toEqual([]);
    expect(existsSync(worktree)).toBe(true);
    expect(existsSync(clone)).toBe(false);
    expect(branches(a)).toContain(`jackin/scratch/${inst.id}`);
    const events = fx.events(inst.id).map((e) => e.type);
    expect(events.slice(-2)).toEqual(['InstanceEjectRequested', 'InstanceEjected']);
    expect(fx.events(inst.id).at(-1)?.data).toMatchObject({
      kept: [`${worktree} (uncommitted changes)`],
      removed: [clone],
    });

    // `jackin purge` removes what eject kept: the dirty worktree and its scratch branch.
    const purged = fx.cli(['purge', inst.id]);
    expect(purged.code, purged.stderr).toBe(0);
    expect(existsSync(stateDir)).toBe(false);
    expect(branches(a)).not.toContain(`jackin/scratch/${inst.id}`);
    expect(fx.events(inst.id).at(-1)).toMatchObject({
      type: 'InstancePurged',
      data: { removed: [worktree, clone, stateDir] },
    });
  });

  it('eject --purge removes every checkout, dirty or not, once, and records eject then purge', async () => {
    const { a, inst, stateDir, worktree, clone } = await loadWithDirtyWorktree();

    const ejected = fx.cli(['eject', inst.id, '--purge', '--json']);
    expect(ejected.code, ejected.stderr).toBe(0);
    expect(JSON.parse(ejected.stdout)).toMatchObject({ instances: [{ kept: [], purged: true }] });
    expect(labelledObjects(inst.id)).toEqual([]);
    expect(existsSync(stateDir)).toBe(false);
    expect(branches(a)).not.toContain(`jackin/scratch/${inst.id}`);
    expect(gitIn(a, 'worktree', 'list')).not.toContain(worktree);
    const events = fx.events(inst.id);
    expect(events.slice(-3).map((e) => e.type)).toEqual([
      'InstanceEjectRequested',
      'InstanceEjected',
      'InstancePurged',
    ]);
    expect(events.at(-2)?.data).toMatchObject({ kept: [], removed: [worktree, clone] });
    expect(events.at(-1)?.data).toMatchObject({ removed: [worktree, clone, stateDir] });
  });
});
