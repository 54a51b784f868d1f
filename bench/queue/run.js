// bench/queue: 20 short tasks (scripted runtime) at concurrency 4 through `jackin queue run --once`:
// wall time vs the ideal, orchestrator CPU while agents run, and events appended per task.
// Usage: npm run build && node bench/queue/run.js [--rounds 3 --tasks 20 --concurrency 4 --task-ms 500]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { createApp } from '../../dist/src/app/app.js';
import { queueTask } from '../../dist/src/engine/task/queue-task.js';
import { machine, now, round, summary } from '../stats.js';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 3);
const TASKS = arg('--tasks', 20);
const CONCURRENCY = arg('--concurrency', 4);
const TASK_MS = arg('--task-ms', 500);
const BIN = fileURLToPath(new URL('../../bin/jackin.js', import.meta.url));
const AGENT = fileURLToPath(new URL('../../test/fixtures/scripted-agent.mjs', import.meta.url));
const TICKS = 100; // USER_HZ on Linux
const PROMPT = `sleep=${TASK_MS} commit`;

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'jackin-bench-queue-'));
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  const git = (...a) =>
    execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@example.com', ...a], { cwd: repo });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README.md'), 'bench\n');
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  const env = {
    ...process.env,
    JACKIN_HOME: join(dir, 'home'),
    JACKIN_CONFIG_DIR: join(dir, 'config'),
    // The measured baseline is the local-process runner (bench/results/queue.json).
    JACKIN_TASK_RUNNER: 'local',
    NO_COLOR: '1',
  };
  mkdirSync(env.JACKIN_CONFIG_DIR, { recursive: true });
  writeFileSync(
    join(env.JACKIN_CONFIG_DIR, 'config.toml'),
    `version = "v1alpha10"\n[runtimes.scripted]\ncommand = ["${process.execPath}"]\nheadless = ["${process.execPath}", "${AGENT}", "{prompt}"]\n`,
  );
  return { dir, repo, env };
}

/** The floor of one attempt without jackin: worktree add, the agent process, rev-list, cleanup. */
function rawFloorMs(repo, n = 7) {
  const samples = [];
  for (let i = 0; i < n; i++) {
    const wt = join(repo, '..', `wt-${i}`);
    const t0 = now();
    execFileSync('git', ['worktree', 'add', '-q', '-B', `floor/${i}`, wt, 'HEAD'], { cwd: repo });
    execFileSync(process.execPath, [AGENT, 'commit'], {
      cwd: wt,
      env: { ...process.env, JACKIN_TASK_ID: `f${i}` },
    });
    execFileSync('git', ['rev-list', `HEAD..floor/${i}`], { cwd: repo });
    execFileSync('git', ['worktree', 'remove', '--force', wt], { cwd: repo });
    samples.push(now() - t0);
  }
  return summary(samples);
}

function cpuTicks(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return undefined;
  }
}

async function queueRound() {
  const { dir, repo, env } = fixture();
  const app = createApp({ env });
  const { store } = await app.eventLog();
  for (let i = 0; i < TASKS; i++) {
    await queueTask(
      store,
      `b${i}`,
      { workspace: repo, role: 'bench', runtime: 'scripted', prompt: PROMPT, priority: 0, limits: {} },
      { kind: 'prompt' },
    );
  }
  const before = await store.lastPosition();
  await app.close();
  const t0 = now();
  const child = spawn(
    process.execPath,
    [BIN, 'queue', 'run', '--once', '--concurrency', String(CONCURRENCY), '--poll', '100ms'],
    {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const samples = [];
  const sampler = setInterval(() => {
    const ticks = cpuTicks(child.pid);
    if (ticks !== undefined) samples.push({ t: now() - t0, ticks });
  }, 50);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  const wallMs = now() - t0;
  if (code !== 0) throw new Error(`queue run exited ${code}`);
  const db = new BetterSqlite3(join(env.JACKIN_HOME, 'jackin.db'), { readonly: true });
  const events = db
    .prepare('SELECT type, recorded_at FROM events WHERE global_position > ? ORDER BY global_position')
    .all(before);
  const succeeded = db.prepare("SELECT count(*) AS n FROM tasks WHERE state = 'succeeded'").get().n;
  db.close();
  const byType = {};
  for (const e of events) byType[e.type] = (byType[e.type] ?? 0) + 1;
  const firstClaim = Date.parse(events.find((e) => e.type === 'TaskClaimed').recorded_at);
  const lastOutcome = Date.parse(events.filter((e) => e.type === 'TaskSucceeded').at(-1).recorded_at);
  // CPU while agents run: the window between the first and last 20% of the run.
  const inWindow = samples.filter((s) => s.t > wallMs * 0.2 && s.t < wallMs * 0.8);
  const windowCpu =
    inWindow.length > 1
      ? (((inWindow.at(-1).ticks - inWindow[0].ticks) / TICKS) * 1000) / (inWindow.at(-1).t - inWindow[0].t)
      : undefined;
  const totalCpuMs = samples.length ? (samples.at(-1).ticks / TICKS) * 1000 : undefined;
  rmSync(dir, { recursive: true, force: true });
  return {
    wallMs,
    queueMs: lastOutcome - firstClaim,
    succeeded,
    eventsPerTask: events.length / TASKS,
    byType,
    windowCpu,
    totalCpuMs,
  };
}

/** Worker CPU while 4 agents just sleep: the cost of waiting (lease renewals, polling). */
async function idleCpu(seconds = 10) {
  const { dir, repo, env } = fixture();
  const app = createApp({ env });
  const { store } = await app.eventLog();
  for (let i = 0; i < CONCURRENCY; i++) {
    await queueTask(
      store,
      `w${i}`,
      {
        workspace: repo,
        role: 'bench',
        runtime: 'scripted',
        prompt: `sleep=${seconds * 1000}`,
        priority: 0,
        limits: {},
      },
      { kind: 'prompt' },
    );
  }
  await app.close();
  const child = spawn(
    process.execPath,
    [BIN, 'queue', 'run', '--once', '--concurrency', String(CONCURRENCY), '--lease', '30s'],
    { env, stdio: 'ignore' },
  );
  await new Promise((r) => setTimeout(r, 2000));
  const a = { t: now(), ticks: cpuTicks(child.pid) };
  await new Promise((r) => setTimeout(r, (seconds - 3) * 1000));
  const b = { t: now(), ticks: cpuTicks(child.pid) };
  await new Promise((resolve) => child.on('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
  return round((((b.ticks - a.ticks) / TICKS) * 1000 * 100) / (b.t - a.t));
}

const floorFixture = fixture();
const floor = rawFloorMs(floorFixture.repo);
rmSync(floorFixture.dir, { recursive: true, force: true });
const launchResults = fileURLToPath(new URL('../results/launch.json', import.meta.url));
const rounds = [];
for (let r = 0; r < ROUNDS; r++) rounds.push(await queueRound());
const idle = [];
for (let r = 0; r < ROUNDS; r++) idle.push(await idleCpu());

const waves = Math.ceil(TASKS / CONCURRENCY);
const idealMs = (floor.median * TASKS) / CONCURRENCY + TASK_MS;
const idealWavesMs = waves * (floor.median + TASK_MS);
const result = {
  benchmark: 'queue',
  date: new Date().toISOString(),
  machine: machine(),
  setup: {
    tasks: TASKS,
    concurrency: CONCURRENCY,
    taskMs: TASK_MS,
    prompt: PROMPT,
    runner: 'local-process (git worktree + subprocess)',
    rounds: ROUNDS,
  },
  floor: {
    perAttemptMs: floor,
    source: existsSync(launchResults)
      ? 'measured here (bench/results/launch.json exists but measures container launches, not this runner)'
      : 'measured here: git worktree add + scripted agent (commit) + rev-list + worktree remove, no jackin',
  },
  idealMs: {
    issueFormula: round(idealMs),
    waves: round(idealWavesMs),
    note: 'issueFormula = floor x tasks / concurrency + task time; waves = ceil(tasks/concurrency) x (floor + task time)',
  },
  wallMs: summary(rounds.map((r) => r.wallMs)),
  claimToLastOutcomeMs: summary(rounds.map((r) => r.queueMs)),
  overIdeal: {
    wallVsIssueFormula: round(summary(rounds.map((r) => r.wallMs)).median / idealMs),
    queueVsWaves: round(summary(rounds.map((r) => r.queueMs)).median / idealWavesMs),
  },
  orchestratorCpu: {
    percentOfOneCoreWhileAgentsSleep: summary(idle),
    idleNote:
      '4 agents sleeping 10 s, 30 s lease, 1 s poll; measured over 7 s from /proc utime+stime (10 ms ticks: resolution 0.14 %)',
    percentOfOneCoreMidRun: summary(rounds.map((r) => r.windowCpu * 100)),
    totalCpuMsPerRun: summary(rounds.map((r) => r.totalCpuMs)),
  },
  eventsPerTask: summary(rounds.map((r) => r.eventsPerTask)),
  eventsByType: rounds[0].byType,
  succeeded: rounds.map((r) => r.succeeded),
};
const out = fileURLToPath(new URL('../results/queue.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
