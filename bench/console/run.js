// bench/console: the console against a log of 100 instances and 50,000 events, measured through a real
// terminal (a detached 80x24 tmux pane): time to first frame, and append -> visible on screen.
// Usage: npm run bench:console [-- --rounds 5 --appends 30 --instances 100 --events 50000]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../dist/src/db/open.js';
import { SqliteEventStore } from '../../dist/src/events/sqlite-store.js';
import { Projector } from '../../dist/src/projections/projector.js';
import { projections } from '../../dist/src/projections/registry.js';
import { machine, now, summary, round } from '../stats.js';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 5);
const APPENDS = arg('--appends', 30);
const INSTANCES = arg('--instances', 100);
const EVENTS = arg('--events', 50_000);
const BIN = fileURLToPath(new URL('../../bin/jackin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'jackin-bench-console-'));
const home = join(dir, 'home');
const socket = `jackin-bench-${process.pid}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const context = {
  correlationId: randomUUID(),
  actor: 'operator',
  host: hostname(),
  jackinVersion: 'bench',
  clock: { now: () => new Date() },
  ids: { uuid: () => randomUUID() },
};

async function openLog() {
  const database = await openDatabase({ path: join(home, 'jackin.db') });
  const projector = new Projector(database.sqlite, projections);
  projector.start();
  return { database, store: new SqliteEventStore(database.sqlite, context, projector) };
}

/** 100 running instances across 5 workspaces, then agent status churn up to EVENTS events. */
function seed(store) {
  const ids = Array.from({ length: INSTANCES }, (_, i) => `bench${String(i).padStart(3, '0')}`);
  ids.forEach((id, i) =>
    store.appendSync(
      `instance-${id}`,
      [
        {
          type: 'InstanceLaunchRequested',
          data: {
            instanceId: id,
            name: `jackin-${id}`,
            role: 'agent-smith',
            workspace: `ws-${i % 5}`,
            runtime: 'claude',
            contract: {},
          },
        },
        {
          type: 'InstanceNetworkCreated',
          data: { instanceId: id, networkId: `n-${id}`, networkName: `net-${id}` },
        },
        {
          type: 'InstanceContainerStarted',
          data: { instanceId: id, containerId: `c-${id}`, image: 'jackin/role' },
        },
      ],
      { expectedVersion: 'no_stream' },
    ),
  );
  const states = ['working', 'idle', 'working', 'done'];
  let written = INSTANCES * 3;
  for (let i = 0; written < EVENTS; i++) {
    const id = ids[i % ids.length];
    const batch = Math.min(10, EVENTS - written);
    const events = Array.from({ length: batch }, (_, k) => ({
      type: 'AgentStatusChanged',
      data: { instanceId: id, state: states[(i + k) % states.length] },
    }));
    store.appendSync(`instance-${id}`, events, { expectedVersion: 'stream_exists' });
    written += batch;
  }
  return ids;
}

const tmux = (...a) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
const capture = () => tmux('capture-pane', '-p', '-t', 'console');

async function waitFor(predicate, timeoutMs = 30_000) {
  const started = now();
  for (;;) {
    const screen = capture();
    if (predicate(screen)) return now() - started;
    if (now() - started > timeoutMs) throw new Error(`pane never matched:\n${screen}`);
    await sleep(2);
  }
}

function startConsole() {
  const env = `env -i PATH='${process.env.PATH}' HOME='${home}' JACKIN_HOME='${home}' JACKIN_CONFIG_DIR='${join(dir, 'config')}' TERM=xterm-256color LANG=C.UTF-8 NO_COLOR=1`;
  tmux(
    'new-session',
    '-d',
    '-s',
    'console',
    '-x',
    '80',
    '-y',
    '24',
    `${env} '${process.execPath}' '${BIN}' console; sleep 60`,
  );
}

function stopConsole() {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
}

try {
  if (spawnSync('tmux', ['-V']).status !== 0) throw new Error('bench/console needs tmux');
  const seedStart = now();
  const { database, store } = await openLog();
  const ids = seed(store);
  const head = store.lastPositionSync();
  const seedMs = now() - seedStart;
  console.error(`seeded ${head} events for ${ids.length} instances in ${round(seedMs)} ms`);

  // Time to first frame: process start -> the fleet at the head is on screen.
  const firstFrame = [];
  for (let r = 0; r < ROUNDS; r++) {
    startConsole();
    firstFrame.push(await waitFor((s) => s.includes(`LIVE #${head}`) && s.includes('q quit')));
    stopConsole();
    await sleep(200);
  }

  // Baseline under the same load: the CLI doing nothing (`jackin --version`), start to exit.
  const baseline = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = now();
    spawnSync(process.execPath, [BIN, '--version']);
    baseline.push(now() - started);
  }

  // Append -> screen: a status change appended by this process, until the pane shows it.
  startConsole();
  await waitFor((s) => s.includes(`LIVE #${head}`));
  const latency = [];
  for (let k = 0; k < APPENDS; k++) {
    const id = ids[(k * 7) % ids.length];
    const { lastPosition } = store.appendSync(
      `instance-${id}`,
      [{ type: 'AgentStatusChanged', data: { instanceId: id, state: k % 2 ? 'blocked' : 'working' } }],
      { expectedVersion: 'stream_exists' },
    );
    const appended = now();
    await waitFor(
      (s) => s.includes(`LIVE #${lastPosition} `) && s.includes(` #${lastPosition} instance-${id} `),
    );
    latency.push(now() - appended);
    await sleep(50);
  }

  // Time travel: 100 events back (a full replay from position 0), until the past is on screen.
  const live = store.lastPositionSync();
  tmux('send-keys', '-t', 'console', 't');
  await waitFor((s) => s.includes(`PAST #${live} of #${live}`));
  const travelStart = now();
  tmux('send-keys', '-t', 'console', '[');
  await waitFor((s) => s.includes(`PAST #${live - 100} of`) && !s.includes('replaying'));
  const scrubBack = now() - travelStart;
  const forwardStart = now();
  tmux('send-keys', '-t', 'console', ']');
  await waitFor((s) => s.includes(`PAST #${live} of`) && !s.includes('replaying'));
  const scrubForward = now() - forwardStart;
  stopConsole();
  await database.close();

  const result = {
    benchmark: 'console',
    recorded_at: new Date().toISOString(),
    machine: {
      ...machine(),
      loadavg_1m: round(Number(execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ')[0])),
    },
    log: { instances: ids.length, events: live, seed_ms: round(seedMs) },
    terminal: '80x24 tmux pane, NO_COLOR, polled with capture-pane every ~2 ms (capture cost included)',
    time_to_first_frame_ms: summary(firstFrame),
    baseline_jackin_version_ms: summary(baseline),
    append_to_screen_ms: summary(latency),
    time_travel_ms: {
      back_100_events_full_replay: round(scrubBack),
      forward_100_events_incremental: round(scrubForward),
    },
    notes:
      'first frame includes node start, module loading (ink is imported lazily by the console command), opening the log and the first snapshot; append latency includes the 100 ms poll interval',
  };
  mkdirSync(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true });
  writeFileSync(
    fileURLToPath(new URL('../results/console.json', import.meta.url)),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  console.log(JSON.stringify(result, null, 2));
} finally {
  stopConsole();
  rmSync(dir, { recursive: true, force: true });
}
