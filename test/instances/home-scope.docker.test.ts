import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedImages } from '../helpers/images.js';
import {
  inspect,
  instanceFixture,
  labelledObjects,
  parseInstance,
  removeInstanceObjects,
} from '../helpers/instances.js';
import type { InstanceFixture } from '../helpers/instances.js';

/**
 * Two jackin homes on one engine (ADR 0023): what one home's prune, exile and doctor do must not
 * touch the other's objects or log, and objects made by an older jackin (no home label) are left to
 * the home whose log knows their instance.
 */

let a: InstanceFixture;
let b: InstanceFixture;
const networks: string[] = [];

function query<T>(fx: InstanceFixture, sql: string): T[] {
  const db = new Database(join(fx.dir, 'home', 'jackin.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

function homeId(fx: InstanceFixture): string {
  return query<{ log_id: string }>(fx, 'SELECT log_id FROM log_identity')[0]?.log_id ?? '';
}

/** The whole log, as a fingerprint: its length and head hash. */
function logHead(fx: InstanceFixture): { n: number; hash: string | null } {
  return query<{ n: number; hash: string | null }>(
    fx,
    'SELECT count(*) AS n, (SELECT hash FROM events ORDER BY global_position DESC LIMIT 1) AS hash FROM events',
  )[0]!;
}

function prewarmIds(fx: InstanceFixture): string[] {
  return query<{ id: string }>(
    fx,
    `SELECT DISTINCT substr(stream_id, 9) AS id FROM events WHERE stream_id LIKE 'prewarm-%'`,
  ).map((r) => r.id);
}

function ok(fx: InstanceFixture, args: string[]): string {
  const r = fx.cli(args);
  expect(r.code, `jackin ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

function prewarm(fx: InstanceFixture): string {
  const out = JSON.parse(ok(fx, ['prewarm', '--count', '1', '--json'])) as { prewarmed: { id: string }[] };
  const id = out.prewarmed[0]?.id;
  expect(id).toBeDefined();
  return id ?? '';
}

/** A labelled network made with the docker CLI, as a crashed or older jackin would leave one. */
function leftoverNetwork(instanceId: string, home: string | undefined): string {
  const name = `jk-${instanceId}-hometest-net`;
  const labels = [
    'dev.jackin.managed=true',
    'dev.jackin.kind=network',
    `dev.jackin.instance=${instanceId}`,
    ...(home ? [`dev.jackin.home=${home}`] : []),
  ];
  execFileSync('docker', ['network', 'create', ...labels.flatMap((l) => ['--label', l]), name]);
  networks.push(name);
  return name;
}

function networkExists(name: string): boolean {
  return spawnSync('docker', ['network', 'inspect', name], { stdio: 'ignore' }).status === 0;
}

beforeAll(async () => {
  await sharedImages();
  a = instanceFixture('jackin-home-a-');
  b = instanceFixture('jackin-home-b-');
});

afterAll(() => {
  for (const fx of [a, b]) {
    for (const id of prewarmIds(fx)) removeInstanceObjects(id);
    fx.cleanup();
  }
  for (const name of networks) spawnSync('docker', ['network', 'rm', name], { stdio: 'ignore' });
});

describe('jackin homes sharing one Docker engine', () => {
  it("prune system, doctor and exile in one home leave the other home's instance, prewarm and log alone", async () => {
    // Home B: a running instance and a ready prewarmed sidecar. Home A: the same.
    const [rb, ra] = await Promise.all([
      b.cliAsync(['load', b.role, b.workspaceDir, '--agent', 'stub', '--detach', '--json']),
      a.cliAsync(['load', a.role, a.workspaceDir, '--agent', 'stub', '--detach', '--json']),
    ]);
    const instB = parseInstance(rb);
    const instA = parseInstance(ra);
    const prewarmB = prewarm(b);
    const prewarmA = prewarm(a);
    const [homeA, homeB] = [homeId(a), homeId(b)];
    expect(homeA).toMatch(/^[0-9a-f]{16}$/);
    expect(homeB).toMatch(/^[0-9a-f]{16}$/);
    expect(homeA).not.toBe(homeB);
    // Every object is stamped with the home that made it.
    expect(inspect(instB.name, '{{index .Config.Labels "dev.jackin.home"}}')).toBe(homeB);
    expect(inspect(instB.sidecar, '{{index .Config.Labels "dev.jackin.home"}}')).toBe(homeB);
    expect(inspect(`jk-${prewarmA}-prewarm-dind`, '{{index .Config.Labels "dev.jackin.home"}}')).toBe(homeA);
    const labelledB = execFileSync(
      'docker',
      ['network', 'ls', '-q', '--filter', `label=dev.jackin.home=${homeB}`],
      { encoding: 'utf8' },
    );
    expect(labelledB.trim().split('\n')).toHaveLength(2);

    // Left behind on the engine: an object of A no instance owns (prune removes it), one labelled
    // with yet another home, and one without a home label whose instance no log here knows.
    const orphanId = randomId();
    const orphanA = leftoverNetwork(orphanId, homeA);
    const otherHome = leftoverNetwork(randomId(), 'f00dfeedf00dfeed');
    const legacy = leftoverNetwork(randomId(), undefined);

    const objectsB = [...labelledObjects(instB.id), ...labelledObjects(prewarmB)].sort();
    expect(objectsB).toHaveLength(7);
    const headB = logHead(b);

    // Doctor in A counts the other homes' objects and changes nothing.
    const doctor = JSON.parse(a.cli(['doctor', '--json']).stdout) as {
      doctor: { checks: { name: string; status: string; detail: string }[] };
    };
    const row = doctor.doctor.checks.find((c) => c.name === 'reconciler');
    expect(row?.detail).toMatch(/1 orphaned object \(run `jackin prune instances`\)/);
    const others = Number(/left alone: (\d+) objects? of other jackin homes/.exec(row?.detail ?? '')?.[1]);
    expect(others).toBeGreaterThanOrEqual(objectsB.length + 1);
    expect(row?.detail).toMatch(/\d+ unlabelled objects? of instances this log does not know/);

    const prune = JSON.parse(ok(a, ['prune', 'system', '--yes', '--json'])) as {
      reconciled: { instanceId: string; event: string; detail: string }[];
    };
    const touched = new Set(prune.reconciled.map((r) => r.instanceId));
    expect(touched.has(prewarmA)).toBe(true);
    expect(touched.has(orphanId)).toBe(true);
    expect([...touched].filter((id) => id !== prewarmA && id !== orphanId)).toEqual([]);
    expect(networkExists(orphanA)).toBe(false);
    expect(networkExists(otherHome)).toBe(true);
    expect(networkExists(legacy)).toBe(true);
    // A's own live instance stays; its prewarm was pruned.
    expect(labelledObjects(instA.id), JSON.stringify([prune, labelledObjects(instA.id)])).toHaveLength(4);
    expect(labelledObjects(prewarmA)).toEqual([]);

    // B: every object still there, its instance running, its log not written to.
    expect([...labelledObjects(instB.id), ...labelledObjects(prewarmB)].sort()).toEqual(objectsB);
    expect(inspect(instB.name, '{{.State.Running}}')).toBe('true');
    expect(inspect(instB.sidecar, '{{.State.Running}}')).toBe('true');
    expect(logHead(b)).toEqual(headB);

    // Exile in A ejects A's instance only.
    const exile = JSON.parse(ok(a, ['exile', '--json'])) as {
      instances: { id: string }[];
      prewarms: string[];
    };
    expect(exile.instances.map((i) => i.id)).toEqual([instA.id]);
    expect(exile.prewarms).toEqual([]);
    expect(labelledObjects(instA.id)).toEqual([]);
    expect([...labelledObjects(instB.id), ...labelledObjects(prewarmB)].sort()).toEqual(objectsB);
    expect(logHead(b)).toEqual(headB);

    // B sees its instance healthy and its prewarm ready, reconciling nothing.
    const status = b.cli(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).not.toMatch(/reconciled/);
    const seen = JSON.parse(status.stdout) as {
      instances: { id: string; state: string }[];
      prewarmed: { id: string }[];
    };
    expect(seen.instances.map((i) => [i.id, i.state])).toEqual([[instB.id, 'running']]);
    expect(seen.prewarmed.map((p) => p.id)).toEqual([prewarmB]);
    expect(logHead(b)).toEqual(headB);
  });
});

function randomId(): string {
  // Instance ids are 8 Crockford base32 characters; hex digits are a subset.
  return randomBytes(4).toString('hex');
}
