import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managedFilter, managedLabels } from '../../src/runtime/labels.js';
import { detectPrivilegedSupport } from '../../src/runtime/privileged.js';
import { imageHarness, sharedImages } from '../helpers/images.js';
import { runCli } from '../helpers/run-cli.js';
import { tempHome } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

let home: TempHome;
let expected: string;

beforeAll(async () => {
  const images = await sharedImages();
  expected = (await detectPrivilegedSupport(imageHarness().runtime, { probeImage: images.base.tag })).mode;
  home = tempHome();
});
afterAll(() => home.cleanup());

describe('the DinD mode in use is reported', () => {
  it('explain and doctor name the mode the engine actually supports', () => {
    const workdir = join(home.dir, 'project');
    mkdirSync(workdir);
    const explain = runCli(['explain', 'agent-smith', workdir, '--json'], { ...home.env, HOME: home.dir });
    expect(explain.code, explain.stderr).toBe(0);
    const contract = (JSON.parse(explain.stdout) as { contract: { docker: { sidecar_mode: string } } })
      .contract;
    expect(contract.docker.sidecar_mode).toBe(expected);

    const doctor = runCli(['doctor', '--json'], { ...home.env, HOME: home.dir });
    const checks = (JSON.parse(doctor.stdout) as { doctor: { checks: { name: string; detail: string }[] } })
      .doctor.checks;
    const dind = checks.find((c) => /dind/i.test(c.name));
    expect(dind?.detail ?? '').toContain(expected === 'equivalent' ? 'equivalent' : 'privileged');
  });
});

describe('probe containers', () => {
  it('a probe left by a dead jackin is reaped before the next probe; a live maker’s probe is kept', async () => {
    const { runtime } = imageHarness();
    const images = await sharedImages();
    const dead = spawnSync('true').pid;
    expect(dead).toBeGreaterThan(0);
    const labels = (pid: number) =>
      managedLabels('probe', { 'dev.jackin.probe.host': hostname(), 'dev.jackin.probe.pid': String(pid) });
    // As a refused --privileged start leaves it: created, never running.
    const orphan = await runtime.containers.create({
      image: images.base.tag,
      cmd: ['true'],
      labels: labels(dead),
    });
    const live = await runtime.containers.create({
      image: images.base.tag,
      cmd: ['true'],
      labels: labels(process.pid),
    });
    try {
      await detectPrivilegedSupport(runtime, { probeImage: images.base.tag });
      const left = (await runtime.containers.list({ labels: managedFilter('probe'), all: true })).map(
        (c) => c.id,
      );
      expect(left).not.toContain(orphan);
      expect(left).toContain(live);
    } finally {
      await runtime.containers.remove(orphan);
      await runtime.containers.remove(live);
    }
  });
});
