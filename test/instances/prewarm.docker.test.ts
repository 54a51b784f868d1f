import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sharedImages } from '../helpers/images.js';
import {
  dockerExec,
  inspect,
  instanceFixture,
  killAfterStage,
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
  fx = instanceFixture('jackin-prewarm-');
});
afterEach(() => {
  // Prewarms no instance adopted are not in an instance stream: remove them by their id too.
  for (const id of prewarmIds()) removeInstanceObjects(id);
  fx.cleanup();
});

interface Recorded {
  type: string;
  data: Record<string, unknown>;
  actor: string;
}

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(fx.dir, 'home', 'jackin.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } catch {
    return [];
  } finally {
    db.close();
  }
}

function prewarmIds(): string[] {
  try {
    return query<{ id: string }>(
      `SELECT DISTINCT substr(stream_id, 9) AS id FROM events WHERE stream_id LIKE 'prewarm-%'`,
    ).map((r) => r.id);
  } catch {
    return [];
  }
}

function prewarmEvents(id: string): Recorded[] {
  return query<{ type: string; data: string; metadata: string }>(
    'SELECT type, data, metadata FROM events WHERE stream_id = ? ORDER BY stream_version',
    `prewarm-${id}`,
  ).map((r) => ({
    type: r.type,
    data: JSON.parse(r.data) as Record<string, unknown>,
    actor: (JSON.parse(r.metadata) as { actor: string }).actor,
  }));
}

/** Every Docker object carrying `dev.jackin.prewarm=<id>`. */
function prewarmObjects(id: string): string[] {
  return labelledObjects(id).filter((o) => o.includes(`jk-${id}-prewarm`));
}

function prewarm(args: string[] = []): { id: string; sidecar: string; network: string }[] {
  const r = fx.cli(['prewarm', '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { prewarmed: { id: string; sidecar: string; network: string }[] })
    .prewarmed;
}

const LOAD = (): string[] => ['load', fx.role, fx.workspaceDir, '--agent', 'stub', '--detach', '--json'];

describe('prewarmed sidecars', () => {
  it('a load adopts the prewarmed sidecar: recorded on both streams, and its Docker daemon is that sidecar', () => {
    const [ready] = prewarm();
    expect(ready).toBeDefined();
    const id = ready?.id ?? '';
    expect(prewarmEvents(id).map((e) => e.type)).toEqual(['SidecarPrewarmRequested', 'SidecarPrewarmed']);
    const status = JSON.parse(fx.cli(['status', '--json']).stdout) as { prewarmed: { id: string }[] };
    expect(status.prewarmed.map((p) => p.id)).toEqual([id]);

    const instance = parseInstance(fx.cli(LOAD()));
    // The instance takes the prewarm's id, network and sidecar.
    expect(instance.id).toBe(id);
    expect(instance.sidecar).toBe(ready?.sidecar);
    expect(instance.network).toBe(ready?.network);
    const adopted = prewarmEvents(id).at(-1);
    expect(adopted?.type).toBe('SidecarPrewarmAdopted');
    expect(adopted?.data.instanceId).toBe(id);
    const sidecarReady = fx.events(id).find((e) => e.type === 'InstanceSidecarReady');
    expect(sidecarReady?.data.prewarm).toBe(id);

    // `docker info` inside the agent answers from its own sidecar, over TLS on the prewarm network.
    const info = dockerExec(instance.name, 'docker info --format "{{.Name}}"');
    expect(info.code, info.out).toBe(0);
    expect(info.out.trim()).toBe(instance.sidecar);
    // The network holds exactly this instance's two containers.
    const members = inspect(instance.network, '{{range .Containers}}{{.Name}} {{end}}')
      .split(' ')
      .filter(Boolean);
    expect(members.sort()).toEqual([instance.name, instance.sidecar].sort());
    const after = JSON.parse(fx.cli(['status', '--json']).stdout) as { prewarmed: unknown[] };
    expect(after.prewarmed).toEqual([]);

    const eject = fx.cli(['eject', id]);
    expect(eject.code, eject.stderr).toBe(0);
    expect(labelledObjects(id)).toEqual([]);
  });

  it('two concurrent loads and one prewarmed sidecar: exactly one adopts it, the other starts its own', async () => {
    const [ready] = prewarm();
    const id = ready?.id ?? '';
    const results = await Promise.all([fx.cliAsync(LOAD()), fx.cliAsync(LOAD())]);
    const instances = results.map(parseInstance);
    const adopters = instances.filter((i) => i.id === id);
    expect(adopters).toHaveLength(1);
    const cold = instances.find((i) => i.id !== id);
    expect(cold?.sidecar).toBe(`${cold?.name ?? ''}-dind`);
    expect(prewarmEvents(id).filter((e) => e.type === 'SidecarPrewarmAdopted')).toHaveLength(1);
    // Both are healthy, each with its own daemon.
    for (const i of instances) {
      const info = dockerExec(i.name, 'docker info --format "{{.Name}}"');
      expect(info.code, info.out).toBe(0);
      expect(info.out.trim()).toBe(i.sidecar);
    }
    const exile = fx.cli(['exile']);
    expect(exile.code, exile.stderr).toBe(0);
    for (const i of instances) expect(labelledObjects(i.id)).toEqual([]);
  });

  it('prune removes prewarmed sidecars no launch adopted and leaves no labelled object', () => {
    const ready = prewarm(['--count', '2']);
    expect(ready).toHaveLength(2);
    for (const p of ready) expect(prewarmObjects(p.id)).toHaveLength(3);
    const prune = fx.cli(['prune', 'instances', '--json']);
    expect(prune.code, prune.stderr).toBe(0);
    for (const p of ready) {
      expect(labelledObjects(p.id)).toEqual([]);
      const last = prewarmEvents(p.id).at(-1);
      expect(last?.type).toBe('SidecarPrewarmDiscarded');
      expect(last?.data.reason).toBe('pruned');
    }
    // No instance stream was written for them (other homes' objects on a shared engine may be).
    const ids = new Set(ready.map((p) => p.id));
    expect(fx.instanceIds().filter((id) => ids.has(id))).toEqual([]);
  });

  it('--count keeps exactly N ready: repeats keep them, --count 0 discards them', () => {
    const [first] = prewarm();
    const again = JSON.parse(fx.cli(['prewarm', '--json']).stdout) as {
      prewarmed: unknown[];
      kept: string[];
    };
    expect(again.prewarmed).toEqual([]);
    expect(again.kept).toEqual([first?.id]);
    const none = JSON.parse(fx.cli(['prewarm', '--count', '0', '--json']).stdout) as {
      discarded: { id: string }[];
    };
    expect(none.discarded.map((d) => d.id)).toEqual([first?.id]);
    expect(labelledObjects(first?.id ?? '')).toEqual([]);
    const bad = fx.cli(['prewarm', '--count', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^jackin: invalid --count 'many'/m);
  });

  it("limits: the launch's are applied to the adopted sidecar in place; one it cannot lift goes cold", () => {
    const [unlimited] = prewarm();
    const limited = parseInstance(fx.cli([...LOAD(), '--memory', '512m', '--pids', '300']));
    expect(limited.id).toBe(unlimited?.id);
    expect(inspect(limited.sidecar, '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}')).toBe(
      '536870912 300',
    );
    const adopted = prewarmEvents(limited.id).at(-1);
    expect(adopted?.data.updatedLimits).toEqual({ memoryBytes: 536870912, pidsLimit: 300 });

    // A sidecar prewarmed with a memory limit is not adopted by a launch that wants none.
    const [capped] = prewarm(['--memory', '1g']);
    const free = parseInstance(fx.cli(LOAD()));
    expect(free.id).not.toBe(capped?.id);
    expect(prewarmEvents(capped?.id ?? '').at(-1)?.type).toBe('SidecarPrewarmed');
    expect(fx.cli(['exile']).code).toBe(0);
    expect(labelledObjects(capped?.id ?? '')).toEqual([]);
  });

  it('[prewarm] sidecars = 1: a load that adopted one starts a replacement in the background', async () => {
    const config = join(fx.env.JACKIN_CONFIG_DIR ?? '', 'config.toml');
    appendFileSync(config, '\n[prewarm]\nsidecars = 1\n');
    const [first] = prewarm();
    const instance = parseInstance(fx.cli(LOAD()));
    expect(instance.id).toBe(first?.id);
    // The load returned at once; the detached `jackin prewarm` records the replacement when it is ready.
    let replacement: string | undefined;
    for (let i = 0; i < 240 && !replacement; i++) {
      replacement = prewarmIds().find(
        (id) => id !== first?.id && prewarmEvents(id).at(-1)?.type === 'SidecarPrewarmed',
      );
      if (!replacement) await new Promise((r) => setTimeout(r, 500));
    }
    expect(replacement).toBeDefined();
    const exile = fx.cli(['exile', '--json']);
    expect(exile.code, exile.stderr).toBe(0);
    expect((JSON.parse(exile.stdout) as { prewarms: string[] }).prewarms).toEqual([replacement]);
    expect(labelledObjects(replacement ?? '')).toEqual([]);
  });

  it.each(['network', 'sidecar'])(
    'SIGKILL of jackin prewarm after %s: the next status discards it and removes its objects',
    async (stage) => {
      await killAfterStage(fx, ['prewarm'], stage);
      const [id] = prewarmIds();
      const prewarmId = id ?? '';
      expect(prewarmEvents(prewarmId).map((e) => e.type)).toEqual(['SidecarPrewarmRequested']);
      expect(prewarmObjects(prewarmId).length).toBeGreaterThan(0);

      const status = fx.cli(['status', '--json']);
      expect(status.code, status.stderr).toBe(0);
      expect((JSON.parse(status.stdout) as { prewarmed: unknown[] }).prewarmed).toEqual([]);
      const last = prewarmEvents(prewarmId).at(-1);
      expect(last?.type).toBe('SidecarPrewarmDiscarded');
      expect(last?.actor).toBe('reconciler');
      expect(String(last?.data.reason)).toMatch(/interrupted/);
      expect(labelledObjects(prewarmId)).toEqual([]);
      // Nothing for a load to adopt: the next one is cold.
      const instance = parseInstance(fx.cli(LOAD()));
      expect(instance.id).not.toBe(prewarmId);
      expect(fx.cli(['eject', instance.id]).code).toBe(0);
    },
  );
});
