// bench/queue: 20 short tasks (scripted runtime) at concurrency 4 through `jackin queue run --once`:
// wall time vs the ideal, orchestrator CPU while agents wait, and events appended per task. Two
// sections: `instance` (the default runner: a real instance per attempt, Docker) and `local` (the
// host-process runner). The instance ideal uses the launch floor of bench/results/launch.json.
// Usage: npm run build && node bench/queue/run.js [--only instance|local] [--rounds 3 --tasks 20
//        --concurrency 4 --task-ms 500]   (--only keeps the other section of bench/results/queue.json)
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
if (only !== undefined && only !== 'instance' && only !== 'local')
  throw new Error('--only takes instance or local');
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

/** The local-process runner: git worktree + the scripted agent as a host subprocess. */
async function localSection() {
  const floorFixture = fixture();
  const floor = rawFloorMs(floorFixture.repo);
  rmSync(floorFixture.dir, { recursive: true, force: true });
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await queueRound());
  const idle = [];
  for (let r = 0; r < ROUNDS; r++) idle.push(await idleCpu());

  const waves = Math.ceil(TASKS / CONCURRENCY);
  const idealMs = (floor.median * TASKS) / CONCURRENCY + TASK_MS;
  const idealWavesMs = waves * (floor.median + TASK_MS);
  return {
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
      source:
        'measured here: git worktree add + scripted agent (commit) + rev-list + worktree remove, no jackin',
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
}

// ---- The instance runner: a fresh instance (network, DinD sidecar, role container) per attempt. ----

// The scripted runtime's headless command inside the role container (`{prompt}` is $1): sleep $1
// seconds, edit a file, commit, print a PR tag, exit 0.
const INSTANCE_SCRIPT = [
  'sleep "$1"',
  'echo done > "result-$JACKIN_TASK_ID.txt" && git add . &&',
  'git -c user.name=agent -c user.email=agent@example.com commit -qm "task $JACKIN_TASK_ID" &&',
  'echo \'<jackin:pr url="https://github.com/o/r/pull/7"/>\'',
].join('\n');

function instanceFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'jackin-bench-queue-inst-'));
  const repo = join(dir, 'repo');
  const role = join(dir, 'stub-role');
  mkdirSync(repo);
  mkdirSync(role);
  const git = (...a) =>
    execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@example.com', ...a], { cwd: repo });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README.md'), 'bench\n');
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  writeFileSync(
    join(role, 'Dockerfile'),
    'ARG JACKIN_CONSTRUCT_IMAGE=jackin/construct:0.1\nFROM ${JACKIN_CONSTRUCT_IMAGE}\n',
  );
  writeFileSync(
    join(role, 'jackin.role.toml'),
    'version = "v1alpha6"\ndockerfile = "Dockerfile"\nagents = ["stub"]\n\n[identity]\nname = "Stub"\n',
  );
  const env = {
    ...process.env,
    JACKIN_HOME: join(dir, 'home'),
    JACKIN_CONFIG_DIR: join(dir, 'config'),
    JACKIN_TASK_RUNNER: 'instance',
    JACKIN_DEBUG: '',
    NO_COLOR: '1',
  };
  mkdirSync(env.JACKIN_CONFIG_DIR, { recursive: true });
  writeFileSync(
    join(env.JACKIN_CONFIG_DIR, 'config.toml'),
    [
      'version = "v1alpha10"',
      '',
      '[runtimes.stub]',
      'command = ["jackin-runtime-stub"]',
      `headless = ["sh", "-c", ${JSON.stringify(INSTANCE_SCRIPT)}, "stub", "{prompt}"]`,
      '',
    ].join('\n'),
  );
  return { dir, repo, role, env, db: join(env.JACKIN_HOME, 'jackin.db') };
}

/** Worker CPU including its children (`docker logs --follow` per task): ticks of the live tree + reaped children. */
function treeTicks(root) {
  const parents = new Map();
  const ticks = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const fields = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ');
      parents.set(Number(name), Number(fields[1]));
      ticks.set(
        Number(name),
        Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
      );
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop();
    total += ticks.get(pid) ?? 0;
    for (const [child, parent] of parents) if (parent === pid) queue.push(child);
  }
  return total;
}

function queryDb(path, sql, ...params) {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params);
  } finally {
    db.close();
  }
}

/** Removes every Docker object labelled with an instance this home recorded (the bench leaves nothing). */
function removeInstances(fx) {
  if (!existsSync(fx.db)) return;
  const ids = queryDb(
    fx.db,
    "SELECT DISTINCT substr(stream_id, 10) AS id FROM events WHERE stream_id LIKE 'instance-%'",
  ).map((r) => r.id);
  const docker = (...a) => execFileSync('docker', a, { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const id of ids) {
    const filter = `label=dev.jackin.instance=${id}`;
    const containers = docker('ps', '-aq', '--filter', filter);
    if (containers.length) docker('rm', '-f', '-v', ...containers);
    const networks = docker('network', 'ls', '-q', '--filter', filter);
    if (networks.length) docker('network', 'rm', ...networks);
    const volumes = docker('volume', 'ls', '-q', '--filter', filter);
    if (volumes.length) docker('volume', 'rm', '-f', ...volumes);
  }
}

let taskSeq = 0;
async function queueInstanceTasks(fx, count, seconds) {
  const app = createApp({ env: fx.env });
  const { store } = await app.eventLog();
  const ids = [];
  for (let i = 0; i < count; i++) {
    const id = `q${taskSeq++}`;
    ids.push(id);
    await queueTask(
      store,
      id,
      {
        workspace: fx.repo,
        role: fx.role,
        runtime: 'stub',
        prompt: String(seconds),
        priority: 0,
        limits: {},
      },
      { kind: 'prompt' },
    );
  }
  const before = await store.lastPosition();
  await app.close();
  return { ids, before };
}

function runWorker(fx, concurrency, extra = []) {
  const child = spawn(
    process.execPath,
    [BIN, 'queue', 'run', '--once', '--concurrency', String(concurrency), '--poll', '100ms', ...extra],
    { env: fx.env, cwd: fx.repo, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`queue run exited ${code}: ${stderr}`)),
    ),
  );
  return { child, exited };
}

/** Per instance in (after, ...]: launch (requested → container started) and eject (requested → ejected) in ms. */
function instanceSpans(fx, after) {
  const rows = queryDb(
    fx.db,
    `SELECT stream_id, type, recorded_at FROM events WHERE global_position > ? AND stream_id LIKE 'instance-%'
     AND type IN ('InstanceLaunchRequested', 'InstanceContainerStarted', 'InstanceEjectRequested', 'InstanceEjected')`,
    after,
  );
  const by = new Map();
  for (const r of rows) {
    const m = by.get(r.stream_id) ?? {};
    m[r.type] = Date.parse(r.recorded_at);
    by.set(r.stream_id, m);
  }
  const launch = [];
  const eject = [];
  for (const m of by.values()) {
    if (m.InstanceContainerStarted) launch.push(m.InstanceContainerStarted - m.InstanceLaunchRequested);
    if (m.InstanceEjected) eject.push(m.InstanceEjected - m.InstanceEjectRequested);
  }
  return { launch, eject };
}

/** Uncontended floor: one task at a time, the instance's own launch and eject spans from the log. */
async function instanceFloor(fx, n) {
  const launch = [];
  const eject = [];
  const attempt = [];
  for (let i = 0; i < n; i++) {
    const { before } = await queueInstanceTasks(fx, 1, 0);
    await runWorker(fx, 1).exited;
    const spans = instanceSpans(fx, before);
    launch.push(...spans.launch);
    eject.push(...spans.eject);
    const [start, end] = ['TaskClaimed', 'TaskSucceeded'].map((type) =>
      Date.parse(
        queryDb(
          fx.db,
          'SELECT recorded_at FROM events WHERE global_position > ? AND type = ?',
          before,
          type,
        )[0].recorded_at,
      ),
    );
    attempt.push(end - start);
  }
  return { launch: summary(launch), eject: summary(eject), claimToOutcome: summary(attempt) };
}

async function instanceRound(fx) {
  const { before } = await queueInstanceTasks(fx, TASKS, TASK_MS / 1000);
  const t0 = now();
  const { child, exited } = runWorker(fx, CONCURRENCY);
  const samples = [];
  const sampler = setInterval(() => samples.push({ t: now() - t0, ticks: treeTicks(child.pid) }), 200);
  await exited;
  clearInterval(sampler);
  const wallMs = now() - t0;
  const events = queryDb(
    fx.db,
    'SELECT stream_id, type, recorded_at FROM events WHERE global_position > ? ORDER BY global_position',
    before,
  );
  const succeeded = events.filter((e) => e.type === 'TaskSucceeded').length;
  const byType = {};
  for (const e of events) byType[e.type] = (byType[e.type] ?? 0) + 1;
  const firstClaim = Date.parse(events.find((e) => e.type === 'TaskClaimed').recorded_at);
  const lastOutcome = Date.parse(events.filter((e) => e.type === 'TaskSucceeded').at(-1).recorded_at);
  const spans = instanceSpans(fx, before);
  const peak = samples.reduce((a, b) => (b.ticks > a.ticks ? b : a), { ticks: 0 });
  return {
    wallMs,
    queueMs: lastOutcome - firstClaim,
    succeeded,
    eventsPerTask: events.length / TASKS,
    taskStreamEventsPerTask: events.filter((e) => e.stream_id.startsWith('task-')).length / TASKS,
    instanceStreamEventsPerTask: events.filter((e) => e.stream_id.startsWith('instance-')).length / TASKS,
    byType,
    launchMs: summary(spans.launch),
    ejectMs: summary(spans.eject),
    totalCpuMs: (peak.ticks / TICKS) * 1000,
  };
}

/** Worker CPU (with its `docker logs` children) while 4 instance agents sleep: the cost of waiting. */
async function instanceIdleCpu(fx, seconds = 20, windowSeconds = 10) {
  const { ids, before } = await queueInstanceTasks(fx, CONCURRENCY, seconds);
  const { child, exited } = runWorker(fx, CONCURRENCY, ['--lease', '30s']);
  const started = () =>
    queryDb(
      fx.db,
      "SELECT count(*) AS n FROM events WHERE global_position > ? AND type = 'TaskStarted'",
      before,
    )[0].n;
  while (started() < ids.length) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1000));
  const a = { t: now(), ticks: treeTicks(child.pid) };
  await new Promise((r) => setTimeout(r, windowSeconds * 1000));
  const b = { t: now(), ticks: treeTicks(child.pid) };
  const stillRunning =
    started() === ids.length &&
    queryDb(
      fx.db,
      "SELECT count(*) AS n FROM events WHERE global_position > ? AND type = 'TaskSucceeded'",
      before,
    )[0].n === 0;
  await exited;
  if (!stillRunning) throw new Error('an agent finished inside the idle window: raise the sleep');
  return round((((b.ticks - a.ticks) / TICKS) * 1000 * 100) / (b.t - a.t));
}

async function instanceSection() {
  const launchJson = JSON.parse(readFileSync(launchResults, 'utf8'));
  const launchFloorMs = launchJson.warm_launch_ms.jackin_engine_only.median;
  const ejectFloorRaw = launchJson.eject_ms.raw_engine_api.median;
  const fx = instanceFixture();
  try {
    // Warm-up (not measured): builds or reuses the derived role image for this home.
    await queueInstanceTasks(fx, 1, 0);
    await runWorker(fx, 1).exited;
    const floor = await instanceFloor(fx, 5);
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push(await instanceRound(fx));
    const idle = [];
    for (let r = 0; r < ROUNDS; r++) idle.push(await instanceIdleCpu(fx));
    const waves = Math.ceil(TASKS / CONCURRENCY);
    const issueFormula = (launchFloorMs * TASKS) / CONCURRENCY + TASK_MS;
    const withEject = ((launchFloorMs + floor.eject.median) * TASKS) / CONCURRENCY + TASK_MS;
    const wavesMs = waves * (launchFloorMs + TASK_MS + floor.eject.median);
    const measuredFloor = ((floor.launch.median + floor.eject.median) * TASKS) / CONCURRENCY + TASK_MS;
    const wall = summary(rounds.map((r) => r.wallMs));
    return {
      setup: {
        tasks: TASKS,
        concurrency: CONCURRENCY,
        taskMs: TASK_MS,
        prompt: String(TASK_MS / 1000),
        runner: 'instance (network + DinD sidecar + role container per attempt; ADR 0017)',
        agent: 'sh: sleep <taskMs>, commit a file, print a PR tag',
        rounds: ROUNDS,
      },
      floor: {
        launchMs: launchFloorMs,
        launchSource: `bench/results/launch.json warm_launch_ms.jackin_engine_only.median (${launchJson.recorded_at})`,
        ejectMsRawEngine: ejectFloorRaw,
        ejectSource:
          'bench/results/launch.json eject_ms.raw_engine_api.median (container + network + volume removal)',
        measuredHere: {
          ...floor,
          note: 'one task at a time (5 tasks, agent sleeps 0): from the instance stream, launch = InstanceLaunchRequested -> InstanceContainerStarted, eject = InstanceEjectRequested -> InstanceEjected; claimToOutcome = TaskClaimed -> TaskSucceeded (worktree, launch, agent, eject, settle)',
        },
      },
      idealMs: {
        issueFormula: round(issueFormula),
        withEject: round(withEject),
        waves: round(wavesMs),
        measuredFloor: round(measuredFloor),
        note: "issueFormula = launch floor x tasks / concurrency + task time; measuredFloor = the same with this run's own uncontended launch + eject spans; withEject adds the measured eject floor per task; waves = ceil(tasks/concurrency) x (launch + task + eject), i.e. no overlap between waves",
      },
      wallMs: wall,
      claimToLastOutcomeMs: summary(rounds.map((r) => r.queueMs)),
      overIdeal: {
        wallVsIssueFormula: round(wall.median / issueFormula),
        wallVsWithEject: round(wall.median / withEject),
        wallVsWaves: round(wall.median / wavesMs),
        wallVsMeasuredFloor: round(wall.median / measuredFloor),
      },
      underConcurrency: {
        launchMs: summary(rounds.map((r) => r.launchMs.median)),
        ejectMs: summary(rounds.map((r) => r.ejectMs.median)),
        note: `median per round of the instances launched at concurrency ${CONCURRENCY} (same spans as the floor)`,
      },
      orchestratorCpu: {
        percentOfOneCoreWhileAgentsSleep: summary(idle),
        idleNote:
          '4 instance agents sleeping 20 s, 30 s lease; measured over 10 s once all 4 started, from /proc utime+stime of the worker and its children (the `docker logs --follow` per task)',
        totalCpuMsPerRun: summary(rounds.map((r) => r.totalCpuMs)),
      },
      eventsPerTask: summary(rounds.map((r) => r.eventsPerTask)),
      taskStreamEventsPerTask: summary(rounds.map((r) => r.taskStreamEventsPerTask)),
      instanceStreamEventsPerTask: summary(rounds.map((r) => r.instanceStreamEventsPerTask)),
      eventsByType: rounds[0].byType,
      succeeded: rounds.map((r) => r.succeeded),
    };
  } finally {
    removeInstances(fx);
    rmSync(fx.dir, { recursive: true, force: true });
  }
}

const launchResults = fileURLToPath(new URL('../results/launch.json', import.meta.url));
const out = fileURLToPath(new URL('../results/queue.json', import.meta.url));
const previous = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};
/** A section with the host's 1-minute load average before and after it (the host is shared). */
async function measured(section) {
  const before = round(loadavg()[0]);
  const result = await section();
  return { ...result, loadAverage1m: { before, after: round(loadavg()[0]) } };
}

const result = {
  benchmark: 'queue',
  date: new Date().toISOString(),
  machine: machine(),
  instance: only === 'local' ? previous.instance : await measured(instanceSection),
  local: only === 'instance' ? previous.local : await measured(localSection),
};
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
