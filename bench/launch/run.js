// bench/launch: a warm `jackin load --detach` (images cached) next to the raw equivalent through the
// engine API (network + certs volume + sidecar run + mTLS /_ping + role container run), interleaved
// in one run; a warm launch that adopts a prewarmed sidecar (`jackin prewarm` first, untimed);
// `jackin eject` next to raw removal; 10 parallel launches both ways.
// Usage: npm run build && node bench/launch/run.js [--rounds 15 --parallel 10 --parallel-rounds 3]
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDockerRuntime } from '../../dist/src/runtime/docker/index.js';
import { privilegedSupport, securityFlags, sidecarSecurity } from '../../dist/src/runtime/privileged.js';
import { waitForSidecar } from '../../dist/src/runtime/dind-ready.js';
import { managedLabels } from '../../dist/src/runtime/labels.js';
import { machine, now, round, summary } from '../stats.js';

const exec = promisify(execFile);
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 15);
const PARALLEL = arg('--parallel', 10);
const PARALLEL_ROUNDS = arg('--parallel-rounds', 3);
// The `jackin` command as npm installs it: the sh launcher (ADR 0031), which runs bin/jackin.js.
const JACKIN = fileURLToPath(new URL('../../bin/jackin', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'jackin-bench-launch-'));
const role = join(dir, 'stub-role');
const ws = join(dir, 'ws');
mkdirSync(join(dir, 'config'), { recursive: true });
mkdirSync(role);
mkdirSync(ws);
writeFileSync(
  join(role, 'Dockerfile'),
  'ARG JACKIN_CONSTRUCT_IMAGE=jackin/construct:0.1\nFROM ${JACKIN_CONSTRUCT_IMAGE}\n',
);
writeFileSync(
  join(role, 'jackin.role.toml'),
  'version = "v1alpha6"\ndockerfile = "Dockerfile"\nagents = ["stub"]\n\n[identity]\nname = "Stub"\n',
);
writeFileSync(
  join(dir, 'config', 'config.toml'),
  'version = "v1alpha10"\n\n[runtimes.stub]\ncommand = ["jackin-runtime-stub"]\n',
);
const env = {
  ...process.env,
  // the launcher runs the `node` on PATH: this one
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  JACKIN_HOME: join(dir, 'home'),
  JACKIN_CONFIG_DIR: join(dir, 'config'),
  NO_COLOR: '1',
};
const runtime = createDockerRuntime(process.env);
const BENCH = { 'dev.jackin.bench': 'launch' };

function cli(argv) {
  return new Promise((resolve, reject) => {
    const child = spawn(JACKIN, argv, { env, cwd: ws });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`jackin ${argv.join(' ')}: ${err}`)),
    );
  });
}

async function jackinLaunch() {
  const t = now();
  const out = JSON.parse(await cli(['load', role, ws, '--agent', 'stub', '--detach', '--json']));
  return { ms: now() - t, engineMs: out.instance.elapsed_ms, id: out.instance.id };
}

/** Makes one prewarmed sidecar ready (untimed); returns its id. */
async function jackinPrewarm() {
  const out = JSON.parse(await cli(['prewarm', '--count', '1', '--json']));
  const [ready] = [...out.prewarmed.map((p) => p.id), ...out.kept];
  return ready;
}

async function jackinEject(id) {
  const t = now();
  await cli(['eject', id]);
  return now() - t;
}

let seq = 0;
async function rawLaunch(image, dind, security) {
  const name = `jk-bench-${process.pid}-${seq++}`;
  const t = now();
  const labels = managedLabels('network', BENCH);
  await runtime.networks.create({ name: `${name}-net`, labels });
  await runtime.volumes.create({ name: `${name}-certs`, labels });
  const sidecar = await runtime.containers.create({
    image: dind,
    name: `${name}-dind`,
    hostname: `${name}-dind`,
    env: { DIND_NAME: `${name}-dind` },
    labels,
    network: `${name}-net`,
    networkAliases: [`${name}-dind`],
    mounts: [{ type: 'volume', source: `${name}-certs`, target: '/certs/client' }],
    security,
  });
  await runtime.containers.start(sidecar);
  await waitForSidecar(runtime, sidecar, { name: `${name}-dind`, network: `${name}-net`, timeoutMs: 60_000 });
  const role = await runtime.containers.create({
    image,
    name,
    labels,
    network: `${name}-net`,
    user: `${process.getuid()}:${process.getgid()}`,
    env: {
      DOCKER_HOST: `tcp://${name}-dind:2376`,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: '/jackin/certs',
      JACKIN_RUNTIME: 'stub',
    },
    mounts: [
      { type: 'volume', source: `${name}-certs`, target: '/jackin/certs', readOnly: true },
      { type: 'bind', source: ws, target: ws },
    ],
  });
  await runtime.containers.start(role);
  return { ms: now() - t, name, ids: [role, sidecar] };
}

/**
 * The same launch as `docker` CLI calls, as an operator's script would do it (the "plain
 * docker calls"): network create, volume create, `docker run -d` of the sidecar, the same mTLS
 * readiness poll, `docker run -d` of the role container. Each call starts a docker CLI process.
 */
async function rawCliLaunch(image, dind, security) {
  const name = `jk-bench-${process.pid}-${seq++}`;
  const label = ['--label', 'dev.jackin.managed=true', '--label', 'dev.jackin.bench=launch'];
  const t = now();
  await exec('docker', ['network', 'create', ...label, `${name}-net`]);
  await exec('docker', ['volume', 'create', ...label, `${name}-certs`]);
  const sidecar = (
    await exec('docker', [
      'run',
      '-d',
      '--name',
      `${name}-dind`,
      '--hostname',
      `${name}-dind`,
      '-e',
      `DIND_NAME=${name}-dind`,
      ...label,
      '--network',
      `${name}-net`,
      '--network-alias',
      `${name}-dind`,
      '-v',
      `${name}-certs:/certs/client`,
      ...securityFlags(security),
      dind,
    ])
  ).stdout.trim();
  await waitForSidecar(runtime, sidecar, { name: `${name}-dind`, network: `${name}-net`, timeoutMs: 60_000 });
  const role = (
    await exec('docker', [
      'run',
      '-d',
      '--name',
      name,
      ...label,
      '--network',
      `${name}-net`,
      '--user',
      `${process.getuid()}:${process.getgid()}`,
      '-e',
      `DOCKER_HOST=tcp://${name}-dind:2376`,
      '-e',
      'DOCKER_TLS_VERIFY=1',
      '-e',
      'DOCKER_CERT_PATH=/jackin/certs',
      '-e',
      'JACKIN_RUNTIME=stub',
      '-v',
      `${name}-certs:/jackin/certs:ro`,
      '-v',
      `${ws}:${ws}`,
      image,
    ])
  ).stdout.trim();
  return { ms: now() - t, name, ids: [role, sidecar] };
}

async function rawCliRemove(raw) {
  const t = now();
  await exec('docker', ['rm', '-f', '-v', ...raw.ids]);
  await exec('docker', ['volume', 'rm', `${raw.name}-certs`]);
  await exec('docker', ['network', 'rm', `${raw.name}-net`]);
  return now() - t;
}

async function rawRemove(raw) {
  const t = now();
  await runtime.containers.remove(raw.ids[0]);
  await runtime.containers.remove(raw.ids[1]);
  await runtime.volumes.remove(`${raw.name}-certs`);
  await runtime.networks.remove(`${raw.name}-net`);
  return now() - t;
}

// Warm-up: builds or reuses every image once, and tells us the image names.
const warm = await jackinLaunch();
const images = await runtime.containers.list({ labels: { 'dev.jackin.instance': warm.id } });
const roleImage = images.find((c) => c.labels['dev.jackin.kind'] === 'role').image;
const dindImage = images.find((c) => c.labels['dev.jackin.kind'] === 'dind').image;
// The detection jackin cached during the warm-up launch (same engine).
const support = await privilegedSupport(runtime, {
  probeImage: dindImage,
  cacheDir: join(env.JACKIN_HOME, 'cache', 'engine'),
});
const security = sidecarSecurity(support);
await jackinEject(warm.id);
await rawRemove(await rawLaunch(roleImage, dindImage, security));

// The floor under every CLI number: starting a bare node process with the same environment (with
// NODE_EXTRA_CA_CERTS set, node parses that file and builds its root store before running any code),
// and the same without that variable, as the `jackin` launcher starts node (ADR 0031).
const nodeStart = [];
const nodeStartDeferred = [];
const { NODE_EXTRA_CA_CERTS: _extraCa, ...deferredEnv } = env;
for (let i = 0; i < ROUNDS; i++) {
  let t = now();
  await exec(process.execPath, ['-e', ''], { env });
  nodeStart.push(now() - t);
  t = now();
  await exec(process.execPath, ['-e', ''], { env: deferredEnv });
  nodeStartDeferred.push(now() - t);
}

// What starting jackin at all costs: `jackin --version` (node start, the bundle loaded and
// evaluated, process exit), the fixed part of every CLI number above the bare node start.
const cliFloor = [];
for (let i = 0; i < ROUNDS; i++) {
  const t = now();
  await exec(JACKIN, ['--version'], { env });
  cliFloor.push(now() - t);
}

const samples = {
  jackin: [],
  jackinEngine: [],
  raw: [],
  rawCli: [],
  jackinEject: [],
  rawRemove: [],
  rawCliRemove: [],
  prewarmed: [],
  prewarmedEngine: [],
};
let adopted = 0;
// Each round times the three cold launches in a rotating order, each one followed at once by its
// own removal, so every launch starts in the same state (right after a removal) and none always
// goes first.
const cold = {
  jackin: async () => {
    const j = await jackinLaunch();
    samples.jackin.push(j.ms);
    samples.jackinEngine.push(j.engineMs);
    samples.jackinEject.push(await jackinEject(j.id));
    return j.ms;
  },
  raw: async () => {
    const r = await rawLaunch(roleImage, dindImage, security);
    samples.raw.push(r.ms);
    samples.rawRemove.push(await rawRemove(r));
    return r.ms;
  },
  rawCli: async () => {
    const c = await rawCliLaunch(roleImage, dindImage, security);
    samples.rawCli.push(c.ms);
    samples.rawCliRemove.push(await rawCliRemove(c));
    return c.ms;
  },
};
const kinds = Object.keys(cold);
for (let i = 0; i < ROUNDS; i++) {
  const order = [...kinds.slice(i % kinds.length), ...kinds.slice(0, i % kinds.length)];
  const ms = {};
  for (const kind of order) ms[kind] = await cold[kind]();
  // The same warm launch while a prewarmed sidecar waits (made untimed, before the clock starts).
  const ready = await jackinPrewarm();
  const p = await jackinLaunch();
  if (p.id === ready) adopted++;
  samples.prewarmed.push(p.ms);
  samples.prewarmedEngine.push(p.engineMs);
  await jackinEject(p.id);
  process.stderr.write(
    `round ${i + 1} (${order.join(', ')}): jackin ${round(ms.jackin)} ms, raw api ${round(ms.raw)} ms, raw docker cli ${round(ms.rawCli)} ms, prewarmed ${round(p.ms)} ms\n`,
  );
}

// Parallel launches, a few rounds each way in alternating order (one round is a single noisy sample).
async function jackinParallelRound() {
  const t = now();
  const many = await Promise.all(Array.from({ length: PARALLEL }, () => jackinLaunch()));
  const ms = now() - t;
  await Promise.all(many.map((m) => jackinEject(m.id)));
  return ms;
}
async function rawParallelRound() {
  const t = now();
  const raws = await Promise.all(
    Array.from({ length: PARALLEL }, () => rawLaunch(roleImage, dindImage, security)),
  );
  const ms = now() - t;
  await Promise.all(raws.map(rawRemove));
  return ms;
}
const parallel = { jackin: [], raw: [] };
for (let i = 0; i < PARALLEL_ROUNDS; i++) {
  if (i % 2 === 0) {
    parallel.jackin.push(await jackinParallelRound());
    parallel.raw.push(await rawParallelRound());
  } else {
    parallel.raw.push(await rawParallelRound());
    parallel.jackin.push(await jackinParallelRound());
  }
  process.stderr.write(
    `parallel round ${i + 1}: jackin ${round(parallel.jackin.at(-1))} ms, raw api ${round(parallel.raw.at(-1))} ms\n`,
  );
}
const jackinParallel = summary(parallel.jackin);
const rawParallel = summary(parallel.raw);

const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summary(v)]));
const result = {
  recorded_at: new Date().toISOString(),
  machine: machine(),
  engine: (await runtime.engine.info()).serverVersion,
  dind_mode: support.mode,
  warm_launch_ms: {
    jackin_cli_wall: s.jackin,
    jackin_engine_only: s.jackinEngine,
    raw_engine_api: s.raw,
    ratio_cli_wall_vs_raw: round(s.jackin.median / s.raw.median),
    ratio_engine_vs_raw: round(s.jackinEngine.median / s.raw.median),
    raw_docker_cli: s.rawCli,
    ratio_cli_wall_vs_raw_docker_cli: round(s.jackin.median / s.rawCli.median),
    node_process_start: summary(nodeStart),
    node_process_start_without_extra_ca_certs: summary(nodeStartDeferred),
    jackin_version_process: summary(cliFloor),
    node_extra_ca_certs: Boolean(env.NODE_EXTRA_CA_CERTS),
    note: 'jackin = `jackin load --detach --json` as a subprocess (node start, config, role, contract, 4 image reuse checks, events) until the role container runs; engine_only = the same launch timed inside jackin (from the elapsed_ms it reports). raw = network + certs volume + sidecar run + mTLS /_ping from the host + role container run through the engine API, same images and flags; raw_docker_cli = the same steps as docker CLI calls (network create, volume create, docker run -d sidecar, the same mTLS poll, docker run -d role), the "plain docker calls" of issue 5 as a script would make them; jackin runs as the `jackin` command, the bin/jackin sh launcher, which starts node without NODE_EXTRA_CA_CERTS when it is set and lets GitHub calls trust that file themselves (ADR 0031); node_process_start = a bare `node -e ""` with the same environment (the part of the CLI wall no jackin code runs in), node_process_start_without_extra_ca_certs = the same without that variable (what the launcher saves); jackin_version_process = `jackin --version` through the launcher (node start + loading the bundle + exit: the fixed cost of any jackin command)',
  },
  eject_ms: {
    jackin_cli_wall: s.jackinEject,
    raw_engine_api: s.rawRemove,
    ratio: round(s.jackinEject.median / s.rawRemove.median),
    raw_docker_cli: s.rawCliRemove,
    ratio_vs_raw_docker_cli: round(s.jackinEject.median / s.rawCliRemove.median),
  },
  parallel_launch_ms: {
    n: PARALLEL,
    rounds: PARALLEL_ROUNDS,
    jackin_cli_wall: jackinParallel,
    raw_engine_api: rawParallel,
    ratio: round(jackinParallel.median / rawParallel.median),
  },
  prewarmed_sidecar: {
    jackin_cli_wall: s.prewarmed,
    jackin_engine_only: s.prewarmedEngine,
    adopted: `${adopted}/${ROUNDS}`,
    ratio_prewarmed_vs_cold: round(s.prewarmed.median / s.jackin.median),
    ratio_prewarmed_engine_vs_cold_engine: round(s.prewarmedEngine.median / s.jackinEngine.median),
    ratio_prewarmed_vs_raw: round(s.prewarmed.median / s.raw.median),
    note: 'the same `jackin load --detach --json` while a `jackin prewarm` sidecar waits (prewarmed untimed, before the clock starts): the launch adopts it (network, certs volume, TLS-ready dockerd) and only pings it, so it skips the daemon start. ratio_prewarmed_vs_cold = prewarmed CLI wall median / cold CLI wall median (target < 0.5)',
  },
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/launch.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
await exec('docker', ['ps', '-aq', '--filter', 'label=dev.jackin.bench=launch']).then(async ({ stdout }) => {
  const ids = stdout.split('\n').filter(Boolean);
  if (ids.length) await exec('docker', ['rm', '-f', '-v', ...ids]);
});
rmSync(dir, { recursive: true, force: true });
