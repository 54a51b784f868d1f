// bench/images: jackin's image reuse decision next to `docker image inspect`, and a cold derived
// build through jackin next to a plain `docker build` of the same context, interleaved in one run.
// Usage: npm run bench:images [-- --rounds 20 --build-rounds 5]
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assetDir } from '../../dist/src/images/assets.js';
import { DEFAULT_BOOTSTRAP_SOURCE } from '../../dist/src/images/bootstrap.js';
import { detectExtraCaCerts } from '../../dist/src/images/ca-certs.js';
import { STUB_RUNTIME, derivedRecipe, prepareDerivedContext } from '../../dist/src/images/derived-image.js';
import { ImageService } from '../../dist/src/images/image-service.js';
import { createDockerRuntime } from '../../dist/src/runtime/docker/index.js';
import { machine, now, summary } from '../stats.js';

const exec = promisify(execFile);
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 20);
const BUILD_ROUNDS = arg('--build-rounds', 5);
const dir = mkdtempSync(join(tmpdir(), 'jackin-bench-images-'));
const env = process.env;
const runtime = createDockerRuntime(env);
const certs = detectExtraCaCerts({ env });
const imagesDir = assetDir('images');
const events = [];
const service = new ImageService({
  runtime,
  record: (tag, event) => {
    events.push(event);
    return Promise.resolve();
  },
  clock: { now: () => new Date() },
  logger: { info: () => undefined },
  env,
  imagesDir,
  workDir: join(dir, 'work'),
  certs,
});
const identity = { uid: process.getuid(), gid: process.getgid() };

function role(name, nonce) {
  const roleDir = join(dir, name);
  rmSync(roleDir, { recursive: true, force: true });
  cpSync(join(assetDir('roles'), 'agent-smith'), roleDir, { recursive: true });
  if (nonce) {
    writeFileSync(
      join(roleDir, 'Dockerfile'),
      `ARG JACKIN_CONSTRUCT_IMAGE\nFROM \${JACKIN_CONSTRUCT_IMAGE}\nRUN echo ${nonce} > /tmp/bench-nonce\n`,
    );
  }
  return roleDir;
}

console.error('bench/images: ensuring base, construct and DinD (offline path)…');
const shared = await service.ensureSharedImages({ base: 'auto', bootstrap: DEFAULT_BOOTSTRAP_SOURCE });
const reuseRequest = {
  roleDir: role('bench-reuse'),
  roleKey: 'bench-reuse',
  identity,
  runtimes: [STUB_RUNTIME],
};
const first = await service.ensureDerived(reuseRequest, shared.construct);

// 1. Reuse decision (recipe hash over the role + inspect + event append to memory) vs docker image inspect.
const decision = [];
const cliInspect = [];
const apiInspect = [];
for (let i = 0; i < ROUNDS; i++) {
  let t = now();
  const outcome = await service.ensureDerived(reuseRequest, shared.construct);
  decision.push(now() - t);
  if (outcome.cache !== 'hit') throw new Error('expected a reuse');
  t = now();
  await exec('docker', ['image', 'inspect', first.tag]);
  cliInspect.push(now() - t);
  t = now();
  await runtime.images.inspect(first.tag);
  apiInspect.push(now() - t);
}

// 2. Cold derived build: jackin (recipe, context assembly, build, labels, events) vs plain
// `docker build` (classic builder) of an identical context. A fresh nonce per round defeats the layer cache.
const jackinBuild = [];
const plainBuild = [];
const builtTags = [];
for (let i = 0; i < BUILD_ROUNDS; i++) {
  const nonceA = `jackin-${process.pid}-${i}-${Date.now()}`;
  const request = {
    roleDir: role('bench-cold-jackin', nonceA),
    roleKey: 'bench-cold',
    identity,
    runtimes: [STUB_RUNTIME],
  };
  let t = now();
  const built = await service.ensureDerived(request, shared.construct);
  jackinBuild.push(now() - t);
  if (built.cache !== 'miss') throw new Error('expected a build');
  builtTags.push(built.tag);

  const nonceB = `plain-${process.pid}-${i}-${Date.now()}`;
  const plainRole = { ...request, roleDir: role('bench-cold-plain', nonceB) };
  const recipe = derivedRecipe(
    plainRole,
    join(imagesDir, 'jackin-layer'),
    { id: shared.construct.imageId },
    certs,
  );
  const contextDir = join(dir, `plain-ctx-${i}`);
  mkdirSync(contextDir);
  const dockerfile = prepareDerivedContext(
    { dir: contextDir, dispose: () => undefined },
    recipe,
    join(imagesDir, 'jackin-layer'),
    certs,
  );
  t = now();
  await exec(
    'docker',
    [
      'build',
      '-q',
      '-f',
      join(contextDir, dockerfile),
      '--build-arg',
      `JACKIN_CONSTRUCT_IMAGE=${shared.construct.tag}`,
      '-t',
      'jackin-bench/plain:latest',
      contextDir,
    ],
    { env: { ...env, DOCKER_BUILDKIT: '0' }, maxBuffer: 64 * 1024 * 1024 },
  );
  plainBuild.push(now() - t);
  rmSync(contextDir, { recursive: true, force: true });
}

const result = {
  recorded_at: new Date().toISOString(),
  machine: machine(),
  engine: (await runtime.engine.info()).serverVersion,
  reuse_decision_ms: {
    jackin_recipe_hash_match: summary(decision),
    docker_cli_image_inspect: summary(cliInspect),
    engine_api_image_inspect: summary(apiInspect),
    note: 'jackin = hash the role dir + jackin layer + inspect the tag + compare labels + record ImageBuilt(hit); no build step',
  },
  cold_derived_build_ms: {
    jackin_ensure_derived: summary(jackinBuild),
    plain_docker_build_classic: summary(plainBuild),
    note: 'same context (role FROM the construct + jackin layer), a fresh nonce per round so no layer is cached; classic builder both sides',
  },
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/images.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));

for (const tag of [...new Set([...builtTags, first.tag, 'jackin-bench/plain:latest'])]) {
  await exec('docker', ['image', 'rm', '-f', tag]).catch(() => undefined);
}
await exec('docker', ['image', 'prune', '-f', '--filter', 'label=dev.jackin.role=bench-cold']).catch(
  () => undefined,
);
rmSync(dir, { recursive: true, force: true });
