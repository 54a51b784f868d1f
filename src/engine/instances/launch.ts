import { proxyEnvironment } from '../../runtime/proxy.js';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { logId } from '../../db/log-id.js';
import { JackinError } from '../../kernel/errors.js';
import type { InstanceDeps } from './deps.js';
import { InstanceWriter } from './instance-stream.js';
import type { InstanceNames } from './naming.js';
import { networkRequest, resourceLimits, roleSpec } from './specs.js';
import { createCertsVolume, startSidecar } from './sidecar.js';
import type { InstanceIdentity } from './specs.js';
import { identify, prewarmsReady, settleAdoptedSidecar } from './adopt.js';
import { resolveLaunchContract } from './launch-contract.js';
import type { LaunchRequest } from './launch-contract.js';
import { removeInstanceObjects } from './teardown.js';
import { materializeWorkspace, writeSecretsFile } from './workspace.js';
import type { MaterializedWorkspace } from './workspace.js';
import { removeCheckout } from './isolation.js';

export interface LaunchedInstance {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly workspace: string;
  readonly agent: string;
  readonly containerId: string;
  readonly sidecar: string;
  readonly network: string;
  readonly sidecarReadyMs: number;
  readonly elapsedMs: number;
}

/** A failure tagged with the launch stage it happened in (recorded in InstanceLaunchFailed). */
class StageError extends Error {
  constructor(
    readonly stage: string,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

function stage<T>(name: string, work: () => Promise<T>): Promise<T> {
  return work().catch((error: unknown) => {
    throw error instanceof StageError ? error : new StageError(name, error);
  });
}

/**
 * `jackin load`: intent (InstanceLaunchRequested with the contract), then network ‖ images ‖
 * workspace, the certs volume once the network exists, the sidecar once its image and volume
 * exist, the role container created while the sidecar boots and started once it answers (an
 * adopted prewarmed sidecar's ping runs alongside that start). Each outcome is appended as it
 * happens; any failure removes what was created (by label) and records InstanceLaunchFailed with
 * the stage.
 */
export async function launchInstance(request: LaunchRequest, deps: InstanceDeps): Promise<LaunchedInstance> {
  const started = Date.now();
  // The two Docker questions asked before the intent is recorded (is the engine up, how would the
  // sidecar run) are read-only: they are asked now and answered while config, role and contract
  // resolve, and awaited where they were asked before.
  const engineUp = deps.runtime.engine.info();
  engineUp.catch(() => undefined);
  const sidecarMode = deps.docker.sidecarMode();
  sidecarMode.catch(() => undefined);
  const early: InstanceDeps = { ...deps, docker: { sidecarMode: () => sidecarMode } };
  // With a ready prewarmed sidecar, the shared images' reuse checks are the longest step left before
  // the role container: they start now, alongside config, role and contract (ADR 0025).
  const earlyImages = prewarmsReady(deps.db) ? deps.images.sidecar() : undefined;
  earlyImages?.catch(() => undefined);
  const { config, raw, contract, roleDir } = await resolveLaunchContract(request, deps, early);
  const roleAgents = contract.role.agents ?? [contract.agent];

  const limits = resourceLimits(contract.limits);
  // Credentials are planned (and a prewarmed sidecar claimed) before Docker is first required.
  const { id, names, agents, adopted } = await identify(early, {
    roleKey: contract.role.key,
    roleAgents,
    workspace: contract.workspace.name,
    agent: contract.agent,
    limits,
  });
  await engineUp;
  const who: InstanceIdentity = {
    instanceId: id,
    role: contract.role.key,
    workspace: contract.workspace.label,
    home: logId(deps.db),
  };
  const stateDir = join(deps.paths.data, names.container);
  const writer = new InstanceWriter(deps.store, id, 0);
  await writer.append({
    type: 'InstanceLaunchRequested',
    data: {
      instanceId: id,
      name: names.container,
      role: contract.role.key,
      workspace: contract.workspace.label,
      runtime: contract.agent,
      contract: raw,
      names,
      owner: deps.owner,
      stateDir,
    },
  });
  deps.report('requested', `${names.container} (${id})`);
  const pause = async (name: string): Promise<void> => {
    if (deps.pauseAfter?.stage === name) await new Promise((r) => setTimeout(r, deps.pauseAfter?.ms ?? 0));
  };
  let workspace: MaterializedWorkspace | undefined;
  // Every stage started, so a failure cleans up (and records) only once none is still running.
  const inFlight: Promise<unknown>[] = [];
  try {
    const network = stage('network', async () => {
      if (adopted) {
        await writer.append({
          type: 'InstanceNetworkCreated',
          data: { instanceId: id, networkId: adopted.networkId, networkName: names.network },
        });
        deps.report('network', `${names.network} (prewarmed)`);
        return;
      }
      const networkId = await deps.runtime.networks.create(networkRequest(names, who));
      await writer.append({
        type: 'InstanceNetworkCreated',
        data: { instanceId: id, networkId, networkName: names.network },
      });
      deps.report('network', names.network);
      await pause('network');
    });
    const sidecarImage = stage('images', () => earlyImages ?? deps.images.sidecar());
    // A prewarmed sidecar runs already: once settled (the launch's limits applied, replaced if its
    // DinD image is outdated) the role container need not wait for its ping (ADR 0025).
    const settled = adopted
      ? stage('sidecar', async () => {
          const [image] = await Promise.all([sidecarImage, network]);
          return settleAdoptedSidecar(deps, adopted, names, who, image, limits);
        })
      : undefined;
    // A cold launch's certs volume, made as soon as the network exists: the sidecar and the role
    // container both mount it, and the role container is created while the sidecar boots.
    const certsVolume = adopted
      ? undefined
      : stage('sidecar', async () => {
          await network;
          await createCertsVolume(deps.runtime, names, who);
        });
    certsVolume?.catch(() => undefined);
    const sidecar = stage('sidecar', async () => {
      const [image] = await Promise.all([sidecarImage, network]);
      if (settled) {
        const { containerId, ready, replaced } = await settled;
        const readyMs = await ready;
        await writer.append({
          type: 'InstanceSidecarReady',
          data: {
            instanceId: id,
            containerId,
            readyMs,
            mode: image.mode,
            ...(replaced ? { replacedPrewarm: replaced } : { prewarm: id }),
          },
        });
        deps.report(
          'sidecar',
          replaced
            ? `prewarmed ${names.sidecar} ran an outdated DinD image: replaced, ready over TLS in ${readyMs} ms`
            : `adopted prewarmed ${names.sidecar} (answered in ${readyMs} ms)`,
        );
        await pause('sidecar');
        return readyMs;
      }
      const { containerId, readyMs } = await startSidecar(deps, names, who, image, limits, certsVolume);
      await writer.append({
        type: 'InstanceSidecarReady',
        data: { instanceId: id, containerId, readyMs, mode: image.mode },
      });
      deps.report('sidecar', `ready over TLS in ${readyMs} ms (${image.mode})`);
      await pause('sidecar');
      return readyMs;
    });
    // The role image needs the shared images (role() shares their reuse checks with the sidecar's
    // image), not the sidecar's mode detection: it does not wait for the sidecar image.
    const roleImage = stage('images', async () => {
      const image = await deps.images.role({
        roleDir,
        roleKey: contract.role.key,
        agent: contract.agent,
        rebuild: request.rebuild,
      });
      deps.report('image', image.how ? `${image.image} (${image.how})` : image.image);
      return image;
    });
    const prepared = stage('workspace', async () => {
      mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      workspace = await materializeWorkspace(contract.mounts, id, stateDir, deps.env);
      const provision = agents.materialize();
      await writer.append(
        { type: 'InstanceWorkspaceMaterialized', data: { instanceId: id, mounts: [...workspace.recorded] } },
        ...provision.events,
      );
      deps.report('workspace', `${workspace.recorded.length} mount(s)`);
      return { workspace, provision, secretsFile: writeSecretsFile(stateDir, provision.env) };
    });
    // The role container is created while dockerd boots in the sidecar (it needs the network, its
    // image, the workspace and the certs volume, not a ready sidecar) and started once the sidecar
    // answers. With an adopted sidecar it waits until that is settled: an outdated one's sidecar and
    // certs volume are replaced first.
    const created = stage('container', async () => {
      const [image, ready] = await Promise.all([roleImage, prepared, network, settled ?? certsVolume]);
      const cid = await deps.runtime.containers.create(
        roleSpec({
          names,
          who,
          image: image.image,
          agent: contract.agent,
          workdir: contract.workspace.workdir,
          uid: deps.hostIdentity.uid,
          gid: deps.hostIdentity.gid,
          mounts: [...ready.workspace.mounts, ...ready.provision.mounts],
          secretsFile: ready.secretsFile,
          limits,
          command: request.headless?.argv,
          extraEnv: request.headless?.env,
          proxy: proxyEnvironment(deps.env, [names.sidecar]),
        }),
      );
      return { cid, image, ready };
    });
    inFlight.push(network, sidecar, roleImage, prepared, created, ...(certsVolume ? [certsVolume] : []));
    // Awaited by the role container before its start is recorded: a failure is handled there.
    sidecar.catch(() => undefined);
    const results = await Promise.allSettled([network, settled ?? sidecar, roleImage, prepared, created]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const { cid, image, ready } = await created;
    const containerId = await stage('container', async () => {
      await deps.runtime.containers.start(cid);
      if (ready.secretsFile) await awaitSecretsTaken(ready.secretsFile);
      // The sidecar is recorded ready before the container is recorded started.
      await sidecar;
      deps.report('container', `${names.container} running`);
      // Crash tests stop here: the container runs but its outcome is not recorded yet.
      await pause('container');
      await writer.append({
        type: 'InstanceContainerStarted',
        data: { instanceId: id, containerId: cid, image: image.image },
      });
      // Headless (task runner) instances have no tmux session to watch.
      if (!request.headless) deps.startStatusWatcher?.(id);
      // `[prewarm] sidecars = N`: top the pool up in the background for the next launch.
      if ((config.prewarm?.sidecars ?? 0) > 0) deps.replenishPrewarm?.();
      return cid;
    });
    return {
      id,
      name: names.container,
      role: contract.role.key,
      workspace: contract.workspace.label,
      agent: contract.agent,
      containerId,
      sidecar: names.sidecar,
      network: names.network,
      sidecarReadyMs: await sidecar,
      elapsedMs: Date.now() - started,
    };
  } catch (error) {
    const failure = error instanceof StageError ? error : new StageError('launch', error);
    await Promise.allSettled(inFlight);
    await cleanupFailedLaunch(deps, id, names, stateDir, workspace);
    await writer
      .append({
        type: 'InstanceLaunchFailed',
        data: { instanceId: id, stage: failure.stage, reason: failure.message },
      })
      .catch(() => undefined);
    const cause = failure.error;
    if (cause instanceof JackinError) throw cause;
    throw new JackinError('launch_failed', `launch failed at ${failure.stage}: ${failure.message}`, {
      hint: `see \`jackin history ${id}\`; nothing was left behind`,
      cause,
    });
  }
}

async function cleanupFailedLaunch(
  deps: InstanceDeps,
  id: string,
  names: InstanceNames,
  stateDir: string,
  workspace: MaterializedWorkspace | undefined,
): Promise<void> {
  await removeInstanceObjects(deps.runtime, id, logId(deps.db)).catch(() => undefined);
  for (const checkout of workspace?.checkouts ?? [])
    await removeCheckout(checkout, deps.env).catch(() => undefined);
  // The state directory was created by this launch: nothing in it is worth keeping yet.
  if (existsSync(stateDir) && stateDir.endsWith(names.container))
    rmSync(stateDir, { recursive: true, force: true });
}

/**
 * The role container moves its env file into its own filesystem as it starts; the host copy must
 * not outlive that (ADR 0016). Waits briefly for the move, then deletes whatever is left.
 */
async function awaitSecretsTaken(file: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (existsSync(file) && Date.now() < deadline) await delay(10);
  rmSync(file, { force: true });
}
