import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fitsCheaply, pickPrewarm, settleAdoptedSidecar } from '../../src/engine/instances/adopt.js';
import { LABEL } from '../../src/runtime/labels.js';
import { createDockerRuntime } from '../../src/runtime/docker/index.js';
import { privilegedSupport, sidecarSecurity } from '../../src/runtime/privileged.js';
import { sharedImages } from '../helpers/images.js';
import { instanceFixture, labelledObjects, removeInstanceObjects } from '../helpers/instances.js';
import type { InstanceFixture } from '../helpers/instances.js';

let fx: InstanceFixture;
const runtime = createDockerRuntime(process.env);
let prewarmId = '';

beforeAll(async () => {
  await sharedImages();
});
beforeEach(() => {
  fx = instanceFixture('jackin-adopt-');
});
afterEach(() => {
  if (prewarmId) removeInstanceObjects(prewarmId);
  fx.cleanup();
});

describe('adopting a prewarmed sidecar', () => {
  it('whose DinD image a launch then finds outdated: its sidecar and certs are replaced in place, as the instance', async () => {
    const made = fx.cli(['prewarm', '--json']);
    expect(made.code, made.stderr).toBe(0);
    const [ready] = (JSON.parse(made.stdout) as { prewarmed: { id: string; sidecar: string }[] }).prewarmed;
    prewarmId = ready?.id ?? '';
    const home = join(fx.dir, 'home');
    const db = new Database(join(home, 'jackin.db'), { readonly: true, fileMustExist: true });
    const pick = await pickPrewarm({ db, runtime }, {}, new Set()).finally(() => db.close());
    expect(pick?.row.prewarm_id).toBe(prewarmId);
    if (!pick) return;
    // The cheap check a launch makes before its claim: the DinD tag still points at what the sidecar runs.
    const tag = await runtime.images.inspect(pick.row.image);
    expect(fitsCheaply(pick, { id: tag?.id, mode: pick.row.mode })).toBe(true);

    // The launch's image check then settles on another DinD image id (its recipe changed, so it was
    // rebuilt): the prewarmed sidecar must not serve the instance.
    const support = await privilegedSupport(runtime, {
      probeImage: pick.row.image,
      cacheDir: join(home, 'cache', 'engine'),
    });
    const homeLabel = (await runtime.containers.inspect(pick.containerId))?.labels[LABEL.home];
    expect(homeLabel).toBeDefined();
    const who = { instanceId: prewarmId, role: 'stub-role', workspace: 'ws', home: homeLabel ?? '' };
    const names = {
      container: `jk-${prewarmId}-ws-stub-role`,
      sidecar: pick.row.sidecar,
      network: pick.row.network,
      certs: pick.row.certs,
    };
    const ping = Promise.resolve(0);
    const result = await settleAdoptedSidecar(
      { runtime, env: process.env, sidecarTimeoutMs: 60_000 },
      { ...pick, ping },
      names,
      who,
      { image: pick.row.image, id: 'sha256:rebuilt', mode: support.mode, security: sidecarSecurity(support) },
      {},
    );
    expect(result.replaced).toBe(pick.containerId);
    // The replacement answered over TLS before it was handed back.
    expect(await result.ready).toBeGreaterThan(0);
    expect(result.containerId).not.toBe(pick.containerId);
    expect(await runtime.containers.inspect(pick.containerId)).toBeUndefined();
    // Same name on the adopted network (what the role container is given), now labelled as the instance.
    const fresh = await runtime.containers.inspect(result.containerId);
    expect(fresh?.running).toBe(true);
    expect(fresh?.name.replace(/^\//, '')).toBe(pick.row.sidecar);
    expect(fresh?.ipAddresses[pick.row.network]).toBeDefined();
    expect(fresh?.labels[LABEL.instance]).toBe(prewarmId);
    expect(fresh?.labels[LABEL.prewarm]).toBeUndefined();
    expect(fresh?.labels[LABEL.role]).toBe('stub-role');
    expect(fresh?.labels[LABEL.home]).toBe(homeLabel);
    // Its certs volume is new too (the old one held the replaced daemon's certificates).
    const volumes = await runtime.volumes.list({ labels: { [LABEL.instance]: prewarmId } });
    expect(volumes.map((v) => [v.name, v.labels[LABEL.role]])).toEqual([[pick.row.certs, 'stub-role']]);

    // Eject finds everything by the instance label, as for any adopted sidecar.
    removeInstanceObjects(prewarmId);
    expect(labelledObjects(prewarmId)).toEqual([]);
  });

  it('whose ping then fails: the launch fails at the sidecar stage and leaves nothing, a role container made alongside included', () => {
    const made = fx.cli(['prewarm', '--json']);
    expect(made.code, made.stderr).toBe(0);
    const [ready] = (JSON.parse(made.stdout) as { prewarmed: { id: string; sidecar: string }[] }).prewarmed;
    prewarmId = ready?.id ?? '';
    // Paused, it still counts as running (so it is picked and claimed) but cannot answer its ping.
    execFileSync('docker', ['pause', ready?.sidecar ?? '']);
    const r = fx.cli(['load', fx.role, fx.workspaceDir, '--agent', 'stub', '--detach'], {
      env: { ...fx.env, JACKIN_SIDECAR_TIMEOUT_MS: '2000' },
    });
    expect(r.code, r.stderr).toBe(1);
    // Its certificates cannot even be read (an exec into a paused container fails at once).
    expect(r.stderr).toMatch(/^jackin: exec in container \w+: .*is paused/m);
    const events = fx.events(prewarmId).map((e) => e.type);
    expect(events[0]).toBe('InstanceLaunchRequested');
    expect(events).not.toContain('InstanceSidecarReady');
    expect(events).not.toContain('InstanceContainerStarted');
    expect(fx.events(prewarmId).at(-1)).toMatchObject({
      type: 'InstanceLaunchFailed',
      data: { stage: 'sidecar' },
    });
    expect(labelledObjects(prewarmId)).toEqual([]);
  });
});
