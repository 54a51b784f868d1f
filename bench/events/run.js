// bench/events: the event log next to raw better-sqlite3 on the same schema, measured in one run.
// Usage: npm run bench:events [-- --rebuild-events 1000000 --rounds 5]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../../dist/src/db/open.js';
import { SqliteEventStore } from '../../dist/src/events/sqlite-store.js';
import { decodeRow } from '../../dist/src/events/codec.js';
import { eventHash, GENESIS_HASH } from '../../dist/src/events/hash.js';
import { Projector } from '../../dist/src/projections/projector.js';
import { projections } from '../../dist/src/projections/registry.js';
import { machine, now, summary, round } from '../stats.js';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 5);
const SECONDS = arg('--seconds', 1.5);
const REBUILD_EVENTS = arg('--rebuild-events', 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'jackin-bench-events-'));

const context = {
  correlationId: randomUUID(),
  actor: 'operator',
  host: hostname(),
  jackinVersion: 'bench',
  clock: { now: () => new Date() },
  ids: { uuid: () => randomUUID() },
};

function payload(instanceId, i) {
  return i % 50 === 0
    ? {
        type: 'InstanceLaunchRequested',
        data: {
          instanceId,
          name: `jackin-${instanceId}`,
          role: 'agent-smith',
          workspace: 'bench',
          runtime: 'claude',
          contract: { mounts: [{ src: '/src/project', dst: '/src/project', readonly: false }] },
        },
      }
    : {
        type: 'AgentStatusChanged',
        data: {
          instanceId,
          state: ['working', 'blocked', 'idle', 'done'][i % 4],
          reason: 'waiting for review of the change set',
        },
      };
}

let dbCounter = 0;
async function freshJackin() {
  const opened = await openDatabase({ path: join(dir, `j${dbCounter++}.db`) });
  const projector = new Projector(opened.sqlite, projections);
  projector.start();
  return { opened, store: new SqliteEventStore(opened.sqlite, context, projector) };
}

// The raw baseline: the same database and schema (jackin's migrations), plain INSERTs, nothing else.
async function freshRaw() {
  const opened = await openDatabase({ path: join(dir, `r${dbCounter++}.db`) });
  const db = opened.sqlite;
  const insert =
    db.prepare(`INSERT INTO events (stream_id, stream_version, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
    VALUES (?, ?, ?, 1, ?, ?, ?, '', '')`);
  return { db, insert };
}

const STREAMS = 1000;

// Each variant appends for SECONDS and reports events/s. `batch` events per transaction.
async function rawAppend(batch) {
  const { db, insert } = await freshRaw();
  const versions = new Array(STREAMS).fill(0);
  const tx = db.transaction((s, n) => {
    for (let k = 0; k < n; k++) {
      const e = payload(`i${s}`, versions[s]);
      versions[s] += 1;
      const meta = JSON.stringify({
        event_id: randomUUID(),
        correlation_id: context.correlationId,
        causation_id: null,
        actor: 'operator',
        host: context.host,
        jackin_version: 'bench',
      });
      insert.run(
        `instance-i${s}`,
        versions[s],
        e.type,
        JSON.stringify(e.data),
        meta,
        new Date().toISOString(),
      );
    }
  });
  let count = 0;
  let i = 0;
  const start = now();
  while (now() - start < SECONDS * 1000) {
    tx(i % STREAMS, batch);
    count += batch;
    i += 1;
  }
  const rate = count / ((now() - start) / 1000);
  db.close();
  return rate;
}

async function jackinAppend(batch) {
  const { opened, store } = await freshJackin();
  const versions = new Array(STREAMS).fill(0);
  let count = 0;
  let i = 0;
  const start = now();
  while (now() - start < SECONDS * 1000) {
    const s = i % STREAMS;
    const events = [];
    for (let k = 0; k < batch; k++) events.push(payload(`i${s}`, versions[s] + k));
    store.appendSync(`instance-i${s}`, events, { expectedVersion: versions[s] });
    versions[s] += batch;
    count += batch;
    i += 1;
  }
  const rate = count / ((now() - start) / 1000);
  await opened.close();
  return rate;
}

// A log of `total` valid, hash-chained instance events, written in bulk (setup, not measured).
async function populate(total) {
  const opened = await openDatabase({ path: join(dir, `big-${total}.db`) });
  const db = opened.sqlite;
  const insert =
    db.prepare(`INSERT INTO events (global_position, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
    VALUES (@global_position, @stream_id, @stream_version, @type, @schema_version, @data, @metadata, @recorded_at, @prev_hash, @hash)`);
  const instances = Math.max(1, Math.floor(total / 50));
  let prev = GENESIS_HASH;
  let position = 0;
  const tx = db.transaction((from, to) => {
    for (let p = from; p < to; p++) {
      const streamIndex = p % instances;
      const version = Math.floor(p / instances) + 1;
      const e = payload(`i${streamIndex}`, version === 1 ? 0 : version);
      position = p + 1;
      const row = {
        global_position: position,
        stream_id: `instance-i${streamIndex}`,
        stream_version: version,
        type: e.type,
        schema_version: 1,
        data: JSON.stringify(e.data),
        metadata: JSON.stringify({
          event_id: randomUUID(),
          correlation_id: context.correlationId,
          causation_id: null,
          actor: 'operator',
          host: context.host,
          jackin_version: 'bench',
        }),
        recorded_at: new Date(1_790_000_000_000 + p).toISOString(),
        prev_hash: prev,
      };
      prev = eventHash(row);
      insert.run({ ...row, hash: prev });
    }
  });
  for (let from = 0; from < total; from += 10_000) tx(from, Math.min(total, from + 10_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  return opened;
}

function rawRead(path) {
  const db = new BetterSqlite3(path, { readonly: true });
  const start = now();
  let n = 0;
  for (const r of db.prepare('SELECT * FROM events ORDER BY global_position').iterate()) {
    JSON.parse(r.data);
    JSON.parse(r.metadata);
    n++;
  }
  const rate = n / ((now() - start) / 1000);
  db.close();
  return rate;
}

function jackinRead(store) {
  const start = now();
  let n = 0;
  for (const row of store.iterateRows()) {
    decodeRow(row);
    n++;
  }
  return n / ((now() - start) / 1000);
}

// The raw fold from perf-limits §3c: keyset pages of 1000, JSON.parse, one upsert per event, checkpoint.
function rawRebuild(path) {
  const db = new BetterSqlite3(path);
  db.exec(`DROP TABLE IF EXISTS raw_instances; CREATE TABLE raw_instances (instance_id TEXT PRIMARY KEY, status TEXT NOT NULL,
    updated_at TEXT NOT NULL, event_count INTEGER NOT NULL, last_position INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS raw_cp (id INTEGER PRIMARY KEY, position INTEGER)`);
  const page = db.prepare(
    'SELECT * FROM events WHERE global_position > ? ORDER BY global_position LIMIT 1000',
  );
  const up =
    db.prepare(`INSERT INTO raw_instances VALUES (@id, @status, @ts, 1, @pos) ON CONFLICT(instance_id) DO UPDATE SET
    status = coalesce(@status, raw_instances.status), updated_at = excluded.updated_at, event_count = raw_instances.event_count + 1, last_position = excluded.last_position`);
  const cp = db.prepare('INSERT OR REPLACE INTO raw_cp VALUES (1, ?)');
  const start = now();
  let after = 0;
  let n = 0;
  const tx = db.transaction((rows) => {
    for (const r of rows) {
      const d = JSON.parse(r.data);
      up.run({ id: d.instanceId, status: d.state ?? 'requested', ts: r.recorded_at, pos: r.global_position });
    }
    cp.run(rows.at(-1).global_position);
  });
  for (;;) {
    const rows = page.all(after);
    if (rows.length === 0) break;
    tx(rows);
    n += rows.length;
    after = rows.at(-1).global_position;
  }
  const rate = n / ((now() - start) / 1000);
  db.exec('DROP TABLE raw_instances; DROP TABLE raw_cp');
  db.close();
  return rate;
}

function jackinRebuild(opened) {
  const projector = new Projector(opened.sqlite, projections);
  const start = now();
  const n = projector.rebuild();
  return n / ((now() - start) / 1000);
}

const results = {
  benchmark: 'events',
  recorded_at: new Date().toISOString(),
  machine: machine(),
  rounds: ROUNDS,
  seconds_per_round: SECONDS,
  synchronous: 'NORMAL',
};
const samples = { raw_single: [], jackin_single: [], raw_batch100: [], jackin_batch100: [] };
process.stderr.write(`appends: ${ROUNDS} rounds x ${SECONDS}s per variant, interleaved\n`);
for (let r = 0; r < ROUNDS; r++) {
  samples.raw_single.push(await rawAppend(1));
  samples.jackin_single.push(await jackinAppend(1));
  samples.raw_batch100.push(await rawAppend(100));
  samples.jackin_batch100.push(await jackinAppend(100));
  process.stderr.write(
    `  round ${r + 1}: single raw ${Math.round(samples.raw_single[r])} / jackin ${Math.round(samples.jackin_single[r])} ev/s\n`,
  );
}
const ratio = (a, b) => round(summary(a).median / summary(b).median);
results.appends = {
  single_per_tx: {
    raw_ev_s: summary(samples.raw_single),
    jackin_ev_s: summary(samples.jackin_single),
    ratio: ratio(samples.jackin_single, samples.raw_single),
    target_ratio: 0.5,
  },
  batch_100_per_tx: {
    raw_ev_s: summary(samples.raw_batch100),
    jackin_ev_s: summary(samples.jackin_batch100),
    ratio: ratio(samples.jackin_batch100, samples.raw_batch100),
  },
};

process.stderr.write(`building a ${REBUILD_EVENTS}-event log...\n`);
const big = await populate(REBUILD_EVENTS);
const bigStore = new SqliteEventStore(big.sqlite, context);
const reads = { raw: [], jackin: [] };
const rebuilds = { raw: [], jackin: [] };
for (let r = 0; r < 3; r++) {
  reads.raw.push(rawRead(big.path));
  reads.jackin.push(jackinRead(bigStore));
  rebuilds.raw.push(rawRebuild(big.path));
  rebuilds.jackin.push(jackinRebuild(big));
  process.stderr.write(
    `  round ${r + 1}: read raw ${Math.round(reads.raw[r])} / jackin ${Math.round(reads.jackin[r])}; rebuild raw ${Math.round(rebuilds.raw[r])} / jackin ${Math.round(rebuilds.jackin[r])} ev/s\n`,
  );
}
results.full_read = {
  events: REBUILD_EVENTS,
  raw_ev_s: summary(reads.raw),
  jackin_ev_s: summary(reads.jackin),
  ratio: ratio(reads.jackin, reads.raw),
};
results.rebuild = {
  events: REBUILD_EVENTS,
  projections: projections.map((p) => p.name),
  raw_ev_s: summary(rebuilds.raw),
  jackin_ev_s: summary(rebuilds.jackin),
  ratio: ratio(rebuilds.jackin, rebuilds.raw),
  target_ev_s: 100_000,
};
await big.close();
rmSync(dir, { recursive: true, force: true });

mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
writeFileSync(new URL('../results/events.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
const a = results.appends;
console.log(
  `single append: jackin ${a.single_per_tx.jackin_ev_s.median} ev/s vs raw ${a.single_per_tx.raw_ev_s.median} ev/s = ${a.single_per_tx.ratio}x (target >= 0.5)`,
);
console.log(
  `batch of 100:  jackin ${a.batch_100_per_tx.jackin_ev_s.median} ev/s vs raw ${a.batch_100_per_tx.raw_ev_s.median} ev/s = ${a.batch_100_per_tx.ratio}x`,
);
console.log(
  `full read:     jackin ${results.full_read.jackin_ev_s.median} ev/s vs raw ${results.full_read.raw_ev_s.median} ev/s = ${results.full_read.ratio}x`,
);
console.log(
  `rebuild ${REBUILD_EVENTS}: jackin ${results.rebuild.jackin_ev_s.median} ev/s vs raw fold ${results.rebuild.raw_ev_s.median} ev/s = ${results.rebuild.ratio}x (target >= 100000 ev/s)`,
);
console.log('written to bench/results/events.json');
