import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import type { ImageOutcome } from '../images/types.js';
import { ConfigStore } from '../config/config-store.js';
import type { GlobalConfig } from '../config/config-schema.js';
import type { LayerInput } from '../config/layering.js';
import { resolveOperatorEnv } from '../config/layering.js';
import type { NewEvent } from '../events/envelope.js';
import type {
  AgentProvisioner,
  InstanceDeps,
  LaunchImages,
  StageReporter,
} from '../engine/instances/deps.js';
import { grantTrust } from '../engine/config/trust.js';
import type { ImageService, SharedOptions } from '../images/image-service.js';
import { createDockerRuntime } from '../runtime/docker/index.js';
import { dockerExecInteractive } from '../runtime/docker/terminal.js';
import type { ContainerRuntime } from '../runtime/port.js';
import type { App } from './app.js';
import { ownerAlive } from './owner-alive.js';
import { statusWatcherStarter } from './status-watcher.js';
import { prewarmReplenisher } from './prewarm-replenisher.js';

export interface InstanceDepsOptions {
  readonly cwd: string;
  readonly home: string;
  readonly interactive: boolean;
  readonly shared: Pick<SharedOptions, 'base' | 'bootstrap' | 'dind'>;
  readonly report: StageReporter;
  readonly confirm?: ((question: string) => Promise<boolean>) | undefined;
}

export { ownerAlive };

/** How `jackin load` says which path each image took. */
const PATH_WORDS: Record<ImageOutcome['path'], string> = {
  reuse: 'reused',
  build: 'built',
  bootstrap: 'bootstrapped offline (debootstrap)',
  pull: 'pulled',
  registry: 'from a local registry image',
};

type SharedImages = Awaited<ReturnType<ImageService['ensureSharedImages']>>;

function launchImages(
  app: App,
  runtime: ContainerRuntime,
  options: InstanceDepsOptions,
  files: ConfigStore,
): LaunchImages {
  // The image builder loads on a launch's first use only: eject, status and the other instance
  // commands build these deps too, and never touch it.
  let service: Promise<ImageService> | undefined;
  const imageService = (): Promise<ImageService> =>
    (service ??= import('./images.js').then((m) => m.createImageService(app, runtime)));
  let shared: Promise<SharedImages> | undefined;
  const ensureShared = (): Promise<SharedImages> =>
    (shared ??= imageService().then((s) => s.ensureSharedImages({ ...options.shared })));
  // One answer per process, however many stages ask; a failure is not kept.
  let sidecar: ReturnType<LaunchImages['sidecar']> | undefined;
  const sidecarImage = async (): ReturnType<LaunchImages['sidecar']> => {
    const [images, { privilegedSupport, sidecarSecurity }] = await Promise.all([
      ensureShared(),
      import('../runtime/privileged.js'),
    ]);
    const support = await privilegedSupport(runtime, {
      probeImage: images.base.tag,
      cacheDir: app.paths.engineCache,
    });
    return {
      image: images.dind.tag,
      security: sidecarSecurity(support),
      mode: support.mode,
      id: images.dind.imageId,
    };
  };
  return {
    sidecar: () =>
      (sidecar ??= sidecarImage().catch((error: unknown) => {
        sidecar = undefined; // a failure is not remembered: the next launch asks again
        throw error;
      })),
    async dindTag() {
      const dind = options.shared.dind;
      return dind?.source === 'registry'
        ? dind.reference
        : (await import('../images/shared-images.js')).TAGS.dind;
    },
    async role(request) {
      const [images, s, config, { STUB_RUNTIME }, { imageRuntimeSpec }, { resolveRuntime }] =
        await Promise.all([
          ensureShared(),
          imageService(),
          files.loadConfig(),
          import('../images/derived-image.js'),
          import('../agents/image-spec.js'),
          import('../agents/registry.js'),
        ]);
      const spec =
        request.agent === 'stub'
          ? STUB_RUNTIME
          : imageRuntimeSpec(resolveRuntime(request.agent, config.value));
      const identity = { uid: process.getuid?.() ?? 1000, gid: process.getgid?.() ?? 1000 };
      const outcome = await s.ensureDerived(
        {
          roleDir: request.roleDir,
          roleKey: request.roleKey.replace(/\//g, '-'),
          identity,
          runtimes: [spec],
        },
        images.construct,
        request.rebuild,
      );
      const how = [images.base, images.construct, images.dind, outcome]
        .map((o) => `${o.image} ${PATH_WORDS[o.path]}`)
        .join(', ');
      return { image: outcome.tag, how };
    },
  };
}

async function layersFor(
  files: ConfigStore,
  config: GlobalConfig,
  role: string,
  workspace: string | null,
): Promise<LayerInput> {
  const ws = workspace ? { name: workspace, value: (await files.loadWorkspace(workspace)).value } : undefined;
  return { config, workspace: ws, role };
}

/**
 * The agents layer's part of a launch. `plan` resolves every value (operator env, runtime auth,
 * GitHub auth) in memory and fails on a missing credential before anything is recorded or created;
 * `materialize` then writes the state tree and synced logins during the workspace stage.
 */
function agentProvisioner(app: App, files: ConfigStore, home: string): AgentProvisioner {
  return {
    async plan(request) {
      const [
        { value: config },
        { materializeAuth },
        { planAuth },
        { planGithubAuth },
        { instanceStateLayout, prepareInstanceState },
        { resolveRuntime },
        { opCliReader, operatorEnvValue, resolveSecrets },
      ] = await Promise.all([
        files.loadConfig(),
        import('../agents/auth-materialize.js'),
        import('../agents/auth-plan.js'),
        import('../agents/github-auth.js'),
        import('../agents/instance-state.js'),
        import('../agents/registry.js'),
        import('../agents/secret-values.js'),
      ]);
      const layers = await layersFor(files, config, request.roleKey, request.workspace);
      const layout = instanceStateLayout(join(request.stateDir, '..'), basename(request.stateDir));
      const adapters = request.roleAgents.filter((a) => a !== 'stub').map((a) => resolveRuntime(a, config));
      const names = resolveOperatorEnv(layers).map((v) => v.name);
      const requests = names.flatMap((key) => {
        const found = operatorEnvValue(layers, key);
        return found ? [{ key, value: found.value }] : [];
      });
      const auth = { hostHome: home, hostEnv: app.env, layout, readOp: opCliReader };
      const [operatorEnv, plan, github] = await Promise.all([
        resolveSecrets(requests, { hostEnv: app.env, readOp: opCliReader }),
        adapters.length > 0 && request.agent !== 'stub'
          ? planAuth({
              ...auth,
              instanceId: request.instanceId,
              layers,
              runtimes: adapters,
              selected: request.agent,
            })
          : undefined,
        planGithubAuth({ ...auth, layers }),
      ]);
      return {
        materialize() {
          const mounts = prepareInstanceState(layout, adapters);
          const env: Record<string, string> = Object.fromEntries(operatorEnv.map((s) => [s.key, s.value]));
          const entries = [...(plan?.entries ?? []), github];
          const forwarded = materializeAuth({ instanceId: request.instanceId, entries }, layout);
          Object.assign(env, forwarded.env);
          const events: NewEvent[] = forwarded.events.map((data) => ({ type: 'AuthForwarded', data }));
          return { mounts, env, events };
        },
      };
    },
  };
}

/** Everything the instance engine needs, built from the app (Docker, event log, images, agents). */
export async function createInstanceDeps(app: App, options: InstanceDepsOptions): Promise<InstanceDeps> {
  const log = await app.eventLog();
  const runtime = createDockerRuntime(app.env);
  const files = new ConfigStore(app.paths.configDir);
  const pause = /^([a-z]+):(\d+)$/.exec(app.env.JACKIN_FAULT_PAUSE_AFTER ?? '');
  const timeout = Number(app.env.JACKIN_SIDECAR_TIMEOUT_MS ?? '');
  return {
    store: log.store,
    db: log.database.sqlite,
    runtime,
    terminal: {
      interactive: options.interactive,
      exec: (container, argv) => dockerExecInteractive(app.env, container, argv),
    },
    images: launchImages(app, runtime, options, files),
    agents: agentProvisioner(app, files, options.home),
    files,
    docker: {
      sidecarMode: async () => (await import('./docker-facts.js')).dockerFacts(app, runtime).sidecarMode(),
    },
    paths: { home: app.paths.home, data: app.paths.data, roles: app.paths.roles },
    hostIdentity: { uid: process.getuid?.() ?? 1000, gid: process.getgid?.() ?? 1000 },
    env: app.env,
    cwd: options.cwd,
    home: options.home,
    now: () => app.clock.now(),
    owner: { host: hostname(), pid: process.pid },
    ownerAlive,
    sidecarTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 60_000,
    report: options.report,
    startStatusWatcher: statusWatcherStarter(app),
    replenishPrewarm: prewarmReplenisher(app),
    confirm: options.confirm,
    confirmTrust: options.confirm
      ? (q) =>
          options.confirm?.(
            `Trust role ${q.key} (${q.url} at ${q.commit.slice(0, 12)})? Its Dockerfile runs on this machine.`,
          ) ?? Promise.resolve(false)
      : undefined,
    grantTrust: (grant) => grantTrust(files, async () => (await app.eventLog()).store, grant, 'prompt'),
    ...(pause ? { pauseAfter: { stage: pause[1] ?? '', ms: Number(pause[2]) } } : {}),
  };
}
