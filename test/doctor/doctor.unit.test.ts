import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/engine/doctor/check.js';
import { clockCheck } from '../../src/engine/doctor/clock-check.js';
import { diskCheck } from '../../src/engine/doctor/disk-check.js';
import { dindModeCheck } from '../../src/engine/doctor/dind-check.js';
import { DockerCliMissing, dockerCli } from '../../src/engine/doctor/docker-cli.js';
import type { DockerCli } from '../../src/engine/doctor/docker-cli.js';
import { runDoctor } from '../../src/engine/doctor/doctor.js';
import type { DoctorDeps } from '../../src/engine/doctor/doctor.js';
import type { LogInspection } from '../../src/engine/doctor/log-check.js';
import { renderDoctorTable } from '../../src/cli/render/doctor-table.js';
import { DockerUnavailableError } from '../../src/kernel/errors.js';
import type { EngineInfo } from '../../src/runtime/port.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const GIB = 1024 ** 3;

const engine: EngineInfo = {
  id: 'engine-1',
  name: 'host',
  serverVersion: '20.10.24',
  apiVersion: '1.41',
  os: 'Debian GNU/Linux 12 (bookworm)',
  architecture: 'x86_64',
  kernelVersion: '6.1.0',
  cgroupVersion: '2',
  cgroupDriver: 'systemd',
  endpoint: 'unix:///var/run/docker.sock',
};

const cli: DockerCli = {
  clientVersion: () => Promise.resolve('28.2.2'),
  daemonTime: () => Promise.resolve(NOW),
};

const healthyLog: LogInspection = { events: 3, firstProblem: undefined, drifted: [], latestRecordedAt: NOW };

function deps(overrides: Partial<DoctorDeps> = {}): DoctorDeps {
  return {
    stateDir: process.cwd(),
    configDir: process.cwd(),
    clock: { now: () => NOW },
    engineInfo: () => Promise.resolve(engine),
    dockerCli: cli,
    inspectLog: () => Promise.resolve(healthyLog),
    dindMode: () => Promise.resolve({ mode: 'privileged', reason: 'ok', cached: true }),
    images: () =>
      Promise.resolve([
        { image: 'construct', tag: 'jackin/construct:0.1' },
        { image: 'dind', tag: 'jackin/dind:0.1' },
        { image: 'derived', tag: 'jackin/role-agent-smith:abc' },
      ]),
    freeBytes: () => Promise.resolve(100 * GIB),
    reconcile: () => Promise.resolve({ gone: [], stopped: [], interrupted: [], orphans: 0, unwatched: [] }),
    ...overrides,
  };
}

function statusOf(
  report: { checks: readonly { name: string; status: string }[] },
  name: string,
): string | undefined {
  return report.checks.find((check) => check.name === name)?.status;
}

describe('runDoctor', () => {
  it('reports every check ok on a healthy host, in table order', async () => {
    const report = await runDoctor(deps());
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => [check.name, check.status])).toEqual([
      ['docker', 'ok'],
      ['docker CLI', 'ok'],
      ['images', 'ok'],
      ['DinD mode', 'ok'],
      ['state dir', 'ok'],
      ['config dir', 'ok'],
      ['disk', 'ok'],
      ['event log', 'ok'],
      ['clock', 'ok'],
      ['reconciler', 'ok'],
    ]);
    expect(report.checks[0]!.detail).toBe(
      'engine 20.10.24 (API 1.41, Debian GNU/Linux 12 (bookworm), x86_64) at unix:///var/run/docker.sock',
    );
    expect(report.checks[1]!.detail).toBe('client 28.2.2');
    expect(report.checks[2]!.detail).toBe('jackin/construct:0.1, jackin/dind:0.1; 1 role image');
    expect(report.checks[3]!.detail).toBe('--privileged (cached)');
  });

  it('fails the docker check with the reason, and keeps running the others', async () => {
    let asked = 0;
    const report = await runDoctor(
      deps({
        engineInfo: () =>
          Promise.reject(
            new DockerUnavailableError('cannot connect to the Docker engine at unix:///x (ENOENT)'),
          ),
        dockerCli: { ...cli, daemonTime: () => Promise.resolve((asked++, NOW)) },
      }),
    );
    expect(report.ok).toBe(false);
    expect(report.dockerReachable).toBe(false);
    expect(report.checks[0]).toEqual({
      name: 'docker',
      status: 'fail',
      detail: 'cannot connect to the Docker engine at unix:///x (ENOENT)',
    });
    expect(statusOf(report, 'DinD mode')).toBe('warn');
    expect(statusOf(report, 'images')).toBe('warn');
    expect(statusOf(report, 'event log')).toBe('ok');
    expect(statusOf(report, 'clock')).toBe('ok');
    expect(statusOf(report, 'reconciler')).toBe('warn');
    expect(asked).toBe(0);
  });

  it('reconciler: ok when the log and Docker agree and every running instance is watched', async () => {
    const report = await runDoctor(deps());
    expect(report.checks.find((c) => c.name === 'reconciler')).toEqual({
      name: 'reconciler',
      status: 'ok',
      detail: 'log and Docker agree; every running instance is watched',
    });
  });

  it('reconciler: warns with counts of what it would do, changing nothing', async () => {
    const report = await runDoctor(
      deps({
        reconcile: () =>
          Promise.resolve({
            gone: ['a1', 'b2'],
            stopped: ['c3'],
            interrupted: ['d4'],
            orphans: 3,
            unwatched: ['e5'],
          }),
      }),
    );
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.name === 'reconciler')).toEqual({
      name: 'reconciler',
      status: 'warn',
      detail:
        'would reconcile: 2 instances whose container is gone; 1 running instance whose container stopped; ' +
        '1 interrupted launch or eject; 3 orphaned objects (run `jackin prune instances`); ' +
        '1 running instance without a status watcher (`jackin hardline` restarts it)',
    });
  });

  it('reconciler: watchers turned off are not counted, and a survey error fails only that row', async () => {
    const off = await runDoctor(
      deps({
        reconcile: () =>
          Promise.resolve({ gone: [], stopped: [], interrupted: [], orphans: 0, unwatched: undefined }),
      }),
    );
    expect(off.checks.find((c) => c.name === 'reconciler')?.detail).toBe('log and Docker agree');
    const broken = await runDoctor(deps({ reconcile: () => Promise.reject(new Error('list failed')) }));
    expect(broken.checks.find((c) => c.name === 'reconciler')).toEqual({
      name: 'reconciler',
      status: 'fail',
      detail: 'list failed',
    });
    expect(statusOf(broken, 'docker')).toBe('ok');
  });

  it('warns, naming them, when the construct or DinD image is missing', async () => {
    const report = await runDoctor(
      deps({ images: () => Promise.resolve([{ image: 'dind', tag: 'jackin/dind:0.1' }]) }),
    );
    expect(report.checks.find((c) => c.name === 'images')).toEqual({
      name: 'images',
      status: 'warn',
      detail: 'missing construct (run `jackin images build`; a launch builds them too)',
    });
    expect(report.ok).toBe(true);
  });

  it('only warns when the docker CLI is missing', async () => {
    const report = await runDoctor(
      deps({
        dockerCli: {
          clientVersion: () => Promise.reject(new DockerCliMissing()),
          daemonTime: () => Promise.reject(new DockerCliMissing()),
        },
      }),
    );
    expect(statusOf(report, 'docker CLI')).toBe('warn');
    expect(report.ok).toBe(true);
  });

  it('asks Docker and the log once even though two checks use each', async () => {
    let describes = 0;
    let inspections = 0;
    await runDoctor(
      deps({
        engineInfo: () => Promise.resolve((describes++, engine)),
        inspectLog: () => Promise.resolve((inspections++, healthyLog)),
      }),
    );
    expect([describes, inspections]).toEqual([1, 1]);
  });

  it('fails the event log check at the first bad position, and on drifted projections', async () => {
    const broken = await runDoctor(
      deps({
        inspectLog: () =>
          Promise.resolve({
            ...healthyLog,
            firstProblem: { position: 7, problem: 'content does not match its hash (edited)' },
          }),
      }),
    );
    expect(broken.ok).toBe(false);
    expect(broken.checks.find((c) => c.name === 'event log')?.detail).toContain('position 7');
    const drifted = await runDoctor(
      deps({ inspectLog: () => Promise.resolve({ ...healthyLog, drifted: ['fleet'] }) }),
    );
    expect(statusOf(drifted, 'event log')).toBe('fail');
    expect(drifted.checks.find((c) => c.name === 'event log')?.detail).toContain('fleet');
  });

  it('turns a thrown check (e.g. a corrupt database) into a fail row', async () => {
    const report = await runDoctor(
      deps({
        inspectLog: () => Promise.reject(new Error('the event log at x is not a valid jackin database')),
      }),
    );
    expect(statusOf(report, 'event log')).toBe('fail');
    expect(report.ok).toBe(false);
  });

  it('keeps the report ok when a check only warns', async () => {
    const report = await runDoctor(deps({ freeBytes: () => Promise.resolve(3 * GIB) }));
    expect(statusOf(report, 'disk')).toBe('warn');
    expect(report.ok).toBe(true);
  });
});

describe('disk check', () => {
  const run = async (free: number) =>
    (await runChecks([diskCheck('/', undefined, () => Promise.resolve(free))]))[0]!;
  it('fails below 1 GiB, warns below 5 GiB, is ok above', async () => {
    expect((await run(512 * 1024 ** 2)).status).toBe('fail');
    expect((await run(2 * GIB)).status).toBe('warn');
    expect((await run(50 * GIB)).status).toBe('ok');
    expect((await run(50 * GIB)).detail).toContain('50.0 GiB free');
  });
});

describe('clock check', () => {
  const run = async (now: Date, dockerTime?: Date, latestEvent?: Date) =>
    (
      await runChecks([
        clockCheck({
          clock: { now: () => now },
          dockerTime: () => Promise.resolve(dockerTime),
          latestEvent: () => Promise.resolve(latestEvent),
        }),
      ])
    )[0]!;

  it('fails an unset clock', async () => {
    expect((await run(new Date(0))).status).toBe('fail');
  });

  it('warns on small Docker skew and fails on large skew', async () => {
    expect((await run(NOW, new Date(NOW.getTime() + 1_000))).status).toBe('ok');
    expect((await run(NOW, new Date(NOW.getTime() + 30_000))).status).toBe('warn');
    const far = await run(NOW, new Date(NOW.getTime() - 10 * 60_000));
    expect(far.status).toBe('fail');
    expect(far.detail).toContain("Docker's clock is 600.0 s off");
  });

  it('warns when the newest event is in the future', async () => {
    const result = await run(NOW, undefined, new Date(NOW.getTime() + 3_600_000));
    expect(result.status).toBe('warn');
    expect(result.detail).toContain('in the future');
  });
});

describe('dockerCli', () => {
  it('reads the client version without the daemon and the daemon clock from `docker info`', async () => {
    const seen: string[][] = [];
    const probe = dockerCli({}, 1000, (args) => {
      seen.push([...args]);
      return Promise.resolve(
        args[0] === '--version'
          ? 'Docker version 28.2.2, build e6534b4\n'
          : JSON.stringify('2026-11-25T12:00:01.5Z'),
      );
    });
    expect(await probe.clientVersion()).toBe('28.2.2');
    expect(await probe.daemonTime()).toEqual(new Date('2026-11-25T12:00:01.5Z'));
    expect(seen).toEqual([['--version'], ['info', '--format', '{{json .SystemTime}}']]);
  });

  it('names a missing docker CLI', async () => {
    await expect(dockerCli({ PATH: '/nonexistent' }, 1000).clientVersion()).rejects.toBeInstanceOf(
      DockerCliMissing,
    );
  });
});

describe('DinD mode check', () => {
  const run = async (report: Parameters<typeof dindModeCheck>[1]) =>
    (await runChecks([dindModeCheck(() => Promise.resolve(true), report)]))[0]!;

  it('reports the equivalent profile with the dropped capabilities', async () => {
    const result = await run(() =>
      Promise.resolve({
        mode: 'equivalent',
        reason: 'the engine refuses --privileged',
        missingCapabilities: ['SYS_RESOURCE'],
        cached: false,
      }),
    );
    expect(result).toMatchObject({ status: 'ok' });
    expect(result.detail).toContain('dropped SYS_RESOURCE');
  });

  it('warns when there is no image to probe with', async () => {
    const result = await run(() => Promise.resolve(undefined));
    expect(result.status).toBe('warn');
    expect(result.detail).toContain('jackin images build');
  });

  it('fails when the engine can run neither mode', async () => {
    expect(
      (
        await run(() =>
          Promise.reject(new Error('this engine can run neither --privileged nor an equivalent container')),
        )
      ).status,
    ).toBe('fail');
  });
});

describe('doctor table', () => {
  const checks = [
    { name: 'docker', status: 'fail', detail: 'down' },
    { name: 'state dir', status: 'ok', detail: '/x' },
  ] as const;

  it('aligns columns without colour', () => {
    expect(renderDoctorTable(checks, false).split('\n')).toEqual([
      'CHECK      STATUS  DETAIL',
      'docker     fail    down',
      'state dir  ok      /x',
    ]);
  });

  it('colours only the status word and keeps alignment', () => {
    const lines = renderDoctorTable(checks, true).split('\n');
    expect(lines[1]).toBe('docker     \u001b[31mfail\u001b[0m    down');
    expect(lines[2]).toBe('state dir  \u001b[32mok\u001b[0m      /x');
  });
});
