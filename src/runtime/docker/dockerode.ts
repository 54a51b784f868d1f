import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type DockerType from 'dockerode';

/**
 * dockerode, loaded without the modules jackin never uses (ADR 0023).
 *
 * dockerode 5 requires `./session` at the top of `lib/docker.js` (BuildKit sessions: @grpc/grpc-js,
 * @grpc/proto-loader, protobufjs — ~120 modules) and docker-modem requires `./ssh` at the top of
 * `lib/modem.js` (the ssh2 client, ~30 modules). jackin builds without BuildKit sessions (no
 * `version: '2'` builds) and reaches the engine over a unix socket or TCP, never `ssh://`, yet every
 * command that touches Docker paid for loading both.
 *
 * Before dockerode is first required, the CommonJS cache gets a stand-in for each of those two
 * files: a function that loads the real module the first time it is called and forwards to it. So
 * nothing changes if a future code path does use a BuildKit session or an ssh endpoint; it only
 * loads then. The files are resolved from dockerode's own location (the same files its `require`
 * would find). `test/runtime/dockerode-lazy.int.test.ts` checks that loading dockerode leaves the
 * gRPC and ssh stacks unloaded, that the stand-ins forward to the real modules, and that the
 * stand-ins replace exactly what dockerode and docker-modem export there (a function each); the
 * docker tier exercises the client itself.
 */

type Loaded = (...args: unknown[]) => unknown;

interface CjsModule {
  id: string;
  filename: string;
  loaded: boolean;
  exports: unknown;
  paths: string[];
}

const here = createRequire(import.meta.url);

/** Files whose top-level require is deferred until their export is first called. */
export function lazyModulePaths(): { readonly session: string; readonly ssh: string } {
  const dockerode = here.resolve('dockerode');
  const fromDockerode = createRequire(dockerode);
  const modem = fromDockerode.resolve('docker-modem');
  return {
    session: fromDockerode.resolve('./session'),
    ssh: createRequire(modem).resolve('./ssh'),
  };
}

function deferModule(path: string): void {
  if (here.cache[path]) return;
  let real: Loaded | undefined;
  const load = (): Loaded => {
    if (real === undefined) {
      // The stand-in leaves the cache so that require loads the file itself; the real module stays
      // cached from then on.
      delete here.cache[path];
      real = here(path) as Loaded;
    }
    return real;
  };
  const stub: CjsModule = {
    id: path,
    filename: path,
    loaded: true,
    paths: [dirname(path)],
    exports: function deferred(this: unknown, ...args: unknown[]): unknown {
      return load().apply(this, args);
    },
  };
  (here.cache as Record<string, unknown>)[path] = stub;
}

/**
 * The bundled CLI carries dockerode as one code-cached script with the same modules deferred
 * (scripts/bundle.js, ADR 0029); the core reaches it through `__jackinScript`, which the bundle's
 * loader defines. Elsewhere (tests, benches: tsc's output) it is undefined.
 */
function bundledDockerode(): typeof DockerType | undefined {
  const script = (globalThis as { __jackinScript?: (name: string) => unknown }).__jackinScript;
  return script?.('dockerode') as typeof DockerType | undefined;
}

function loadDockerode(): typeof DockerType {
  const bundled = bundledDockerode();
  if (bundled) return bundled;
  const paths = lazyModulePaths();
  deferModule(paths.session);
  deferModule(paths.ssh);
  return here('dockerode') as typeof DockerType;
}

let loaded: typeof DockerType | undefined;

/**
 * The dockerode constructor (see the module comment for what is deferred), loaded on the first call:
 * in the bundled CLI every module is evaluated at start (ADR 0027), so loading it at the top would
 * make `--version` and every command that never reaches Docker pay for dockerode's ~90 files.
 */
export function dockerode(): typeof DockerType {
  return (loaded ??= loadDockerode());
}
