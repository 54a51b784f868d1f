import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { staticGraph } from '../helpers/static-graph.js';

const DIST = new URL('../../dist/src/runtime/docker/', import.meta.url).href;

/** Runs an ES module script in a fresh node (the built dist: a clean CommonJS cache) and parses its JSON. */
function inFreshNode(script: string): Record<string, unknown> {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

const PRELUDE = `
  import { createRequire } from 'node:module';
  const cache = createRequire(import.meta.url).cache;
  const loaded = (re) => Object.keys(cache).filter((k) => re.test(k)).length;
  const { createDockerRuntime } = await import(${JSON.stringify(`${DIST}index.js`)});
  const { dockerode, lazyModulePaths } = await import(${JSON.stringify(`${DIST}dockerode.js`)});
  const Docker = dockerode();
`;

describe('dockerode loads without its BuildKit-session and ssh stacks (ADR 0023)', () => {
  it('creating the runtime loads no gRPC, protobuf or ssh2 module, and dockerode is complete', () => {
    const out = inFreshNode(`${PRELUDE}
      createDockerRuntime({ DOCKER_HOST: 'unix:///nonexistent.sock' });
      const docker = new Docker({ socketPath: '/nonexistent.sock' });
      console.log(JSON.stringify({
        grpc: loaded(/@grpc|protobufjs/),
        ssh2: loaded(/[\\\\/]ssh2[\\\\/]/),
        dockerode: loaded(/[\\\\/]dockerode[\\\\/]lib[\\\\/]docker\\.js$/),
        methods: ['listContainers', 'createContainer', 'buildImage', 'getNetwork', 'listVolumes']
          .filter((m) => typeof docker[m] === 'function'),
        session: typeof cache[lazyModulePaths().session]?.exports,
      }));`);
    expect(out).toEqual({
      grpc: 0,
      ssh2: 0,
      dockerode: 1,
      methods: ['listContainers', 'createContainer', 'buildImage', 'getNetwork', 'listVolumes'],
      session: 'function',
    });
  });

  it('the stand-ins load the real modules on first call and forward to them', () => {
    const out = inFreshNode(`${PRELUDE}
      const paths = lazyModulePaths();
      const require = createRequire(import.meta.url);
      const session = require(paths.session);
      const ssh = require(paths.ssh);
      // A BuildKit session dials the engine first: a failing dial reaches the handler unchanged.
      const failure = await new Promise((resolve) =>
        session({ modem: { dial: (_opts, cb) => cb(new Error('no engine')) } }, undefined, (err) => resolve(err.message)),
      );
      const agent = ssh({ host: 'example.invalid', port: 22 });
      console.log(JSON.stringify({
        failure,
        grpc: loaded(/@grpc[\\\\/]grpc-js/) > 0,
        ssh2: loaded(/[\\\\/]ssh2[\\\\/]/) > 0,
        agent: typeof agent?.createConnection,
        realSession: cache[paths.session]?.exports !== session,
      }));`);
    expect(out).toEqual({
      failure: 'no engine',
      grpc: true,
      ssh2: true,
      agent: 'function',
      realSession: true,
    });
  });

  it('the Docker runtime imports dockerode only through the deferring loader', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const { files, packages } = staticGraph(root, 'src/runtime/docker/index.ts');
    expect(files).toContain('src/runtime/docker/dockerode.ts');
    // Value imports of the package itself would load it before the stand-ins are in place.
    expect(packages.has('dockerode')).toBe(false);
  });
});
