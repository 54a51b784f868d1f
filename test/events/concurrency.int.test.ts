import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempHome } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

const WORKER = fileURLToPath(new URL('../fixtures/append-worker.mjs', import.meta.url));
const homes: TempHome[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) home.cleanup();
});

function startWorker(env: NodeJS.ProcessEnv, worker: number, count: number, forever = false) {
  const child = spawn(
    process.execPath,
    [WORKER, String(worker), String(count), ...(forever ? ['--forever'] : [])],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, output: () => stdout };
}

describe('several processes appending at once', () => {
  it('8 processes x 2,000 appends: nothing lost or duplicated, conflicts typed, verify clean', async () => {
    const home = tempHome();
    homes.push(home);
    // Create the log first so the workers race on appends, not on migrations.
    expect(runCli(['events', 'verify'], home.env).code).toBe(0);
    const workers = Array.from({ length: 8 }, (_, i) => startWorker(home.env, i, 2000));
    const results = await Promise.all(workers.map((w) => w.done));
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
    const reports = results.map(
      (r) => JSON.parse(r.stdout.trim()) as { appended: number; conflicts: number },
    );
    const totalAppended = reports.reduce((sum, r) => sum + r.appended, 0);
    expect(totalAppended).toBe(8 * 2000);
    // Workers race on the shared stream: some appends must have lost and been retried.
    expect(reports.reduce((sum, r) => sum + r.conflicts, 0)).toBeGreaterThan(0);

    const db = new BetterSqlite3(home.env.JACKIN_HOME + '/jackin.db', { readonly: true });
    const count = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const distinctIds = (
      db.prepare("SELECT count(DISTINCT json_extract(metadata, '$.event_id')) AS n FROM events").get() as {
        n: number;
      }
    ).n;
    const dupVersions = db
      .prepare('SELECT stream_id, stream_version, count(*) c FROM events GROUP BY 1, 2 HAVING c > 1')
      .all();
    const shared = db
      .prepare(
        "SELECT max(stream_version) AS v, count(*) AS n FROM events WHERE stream_id = 'instance-shared'",
      )
      .get() as {
      v: number;
      n: number;
    };
    const positions = db
      .prepare('SELECT min(global_position) lo, max(global_position) hi FROM events')
      .get() as { lo: number; hi: number };
    db.close();
    expect(count).toBe(16_000);
    expect(distinctIds).toBe(16_000);
    expect(dupVersions).toEqual([]);
    expect(shared.v).toBe(shared.n);
    expect(shared.n).toBe(8 * 1000);
    expect(positions).toEqual({ lo: 1, hi: 16_000 });

    const verify = runCli(['events', 'verify', '--json'], home.env);
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ verify: { ok: true, events: 16_000 } });
  }, 240_000);

  it('a process killed with SIGKILL mid-append leaves a log that verifies and projections equal to a rebuild', async () => {
    const home = tempHome();
    homes.push(home);
    expect(runCli(['events', 'verify'], home.env).code).toBe(0);
    const victims = [startWorker(home.env, 1, 0, true), startWorker(home.env, 2, 0, true)];
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (victims.every((v) => v.output().includes('appending'))) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const victim of victims) victim.child.kill('SIGKILL');
    const ends = await Promise.all(victims.map((v) => v.done));
    expect(ends.map((e) => e.signal)).toEqual(['SIGKILL', 'SIGKILL']);
    const verify = runCli(['events', 'verify', '--json'], home.env);
    expect(verify.code, verify.stderr).toBe(0);
    const report = JSON.parse(verify.stdout) as {
      verify: { ok: boolean; events: number; projections_drifted: string[] };
    };
    expect(report.verify.ok).toBe(true);
    expect(report.verify.events).toBeGreaterThan(100);
    expect(report.verify.projections_drifted).toEqual([]);
  }, 120_000);
});
