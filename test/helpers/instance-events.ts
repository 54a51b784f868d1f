import type { NewEvent } from '../../src/events/envelope.js';

/** A deterministic pseudo-random generator (mulberry32) so generated histories are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function launchRequested(
  instanceId: string,
  extra: Partial<{ role: string; workspace: string }> = {},
): NewEvent {
  return {
    type: 'InstanceLaunchRequested',
    data: {
      instanceId,
      name: `jackin-${instanceId}`,
      role: extra.role ?? 'agent-smith',
      workspace: extra.workspace ?? 'demo',
      runtime: 'claude',
      contract: { mounts: [] },
    },
  };
}

/** The events of one instance's life after its launch request, in a plausible order. */
export function lifecycleStep(instanceId: string, step: number, random: () => number): NewEvent {
  switch (step % 8) {
    case 0:
      return {
        type: 'InstanceNetworkCreated',
        data: { instanceId, networkId: `n${step}`, networkName: `jackin-${instanceId}-net` },
      };
    case 1:
      return {
        type: 'InstanceSidecarReady',
        data: {
          instanceId,
          containerId: `d${step}`,
          readyMs: Math.round(random() * 2000),
          mode: 'privileged',
        },
      };
    case 2:
      return {
        type: 'InstanceContainerStarted',
        data: { instanceId, containerId: `c${step}`, image: 'jackin/role:x' },
      };
    case 3:
      return {
        type: 'AgentStatusChanged',
        data: {
          instanceId,
          state: (['working', 'blocked', 'idle', 'done'] as const)[Math.floor(random() * 4)]!,
        },
      };
    case 4:
      return { type: 'InstanceAttached', data: { instanceId, session: 'main' } };
    case 5:
      return random() < 0.5
        ? {
            type: 'InstanceExited',
            data: { instanceId, exitCode: Math.floor(random() * 3), oomKilled: false },
          }
        : { type: 'InstanceLaunchFailed', data: { instanceId, stage: 'sidecar', reason: 'timeout' } };
    case 6:
      return { type: 'InstanceEjectRequested', data: { instanceId, purge: false } };
    default:
      return { type: 'InstanceEjected', data: { instanceId, kept: [] } };
  }
}
