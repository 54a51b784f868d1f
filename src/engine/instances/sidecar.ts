import { waitForSidecar, warmTlsRootStore } from '../../runtime/dind-ready.js';
import type { ContainerRuntime, ResourceLimits, SecurityProfile } from '../../runtime/port.js';
import { proxyEnvironment } from '../../runtime/proxy.js';
import type { InstanceNames } from './naming.js';
import { certsVolumeRequest, sidecarSpec } from './specs.js';
import type { ObjectOwner } from './specs.js';

/**
 * The sidecar's certs volume, labelled. It must exist before any container mounts it: Docker makes
 * a missing named volume itself, without the labels, and a later create of the name returns that
 * one (then no label-based cleanup finds it).
 */
export async function createCertsVolume(
  runtime: ContainerRuntime,
  names: Pick<InstanceNames, 'certs'>,
  who: ObjectOwner,
): Promise<void> {
  await runtime.volumes.create(certsVolumeRequest(names, who));
}

/**
 * The DinD sidecar's own steps, shared by a cold launch and a prewarm: its certs volume, the
 * container (privileged or the equivalent profile, proxy settings with itself in NO_PROXY), its
 * start, and the mTLS readiness poll. Returns the container and how long dockerd took to answer.
 * The caller has made the network and records the events.
 */
export async function startSidecar(
  deps: {
    readonly runtime: ContainerRuntime;
    readonly env: NodeJS.ProcessEnv;
    readonly sidecarTimeoutMs: number;
  },
  names: Pick<InstanceNames, 'sidecar' | 'network' | 'certs'>,
  who: ObjectOwner,
  image: { readonly image: string; readonly security: SecurityProfile },
  limits: ResourceLimits,
  /** The certs volume when the caller creates it (a launch, for the role container to wait on). */
  certsVolume?: Promise<void>,
): Promise<{ containerId: string; readyMs: number }> {
  await (certsVolume ?? createCertsVolume(deps.runtime, names, who));
  const containerId = await deps.runtime.containers.create(
    sidecarSpec(names, who, image.image, image.security, limits, proxyEnvironment(deps.env, [names.sidecar])),
  );
  const started = deps.runtime.containers.start(containerId);
  // Once the start request is out: the container takes ~250 ms to start, this CPU work ~15 ms.
  setImmediate(warmTlsRootStore);
  await started;
  const readyMs = await waitForSidecar(deps.runtime, containerId, {
    name: names.sidecar,
    network: names.network,
    timeoutMs: deps.sidecarTimeoutMs,
  });
  return { containerId, readyMs: Math.round(readyMs) };
}
