import type { AnyRecordedEvent } from '../events/envelope.js';

export const INSTANCE_STATES = [
  'requested',
  'launching',
  'running',
  'exited',
  'failed',
  'ejecting',
  'ejected',
  'purged',
  'lost',
] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

/** Event types that can move an instance's lifecycle state. */
export const LIFECYCLE_EVENT_TYPES = [
  'InstanceLaunchRequested',
  'InstanceNetworkCreated',
  'InstanceSidecarReady',
  'InstanceWorkspaceMaterialized',
  'InstanceContainerStarted',
  'InstanceAdopted',
  'InstanceExited',
  'InstanceLaunchFailed',
  'InstanceEjectRequested',
  'InstanceEjected',
  'InstancePurged',
  'InstanceContainerLost',
  'InstanceRestarted',
] as const;

/** The lifecycle state an instance is in after an event; `undefined` when the event does not move it. */
export function instanceStateAfter(
  current: InstanceState | undefined,
  event: AnyRecordedEvent,
): InstanceState | undefined {
  switch (event.type) {
    case 'InstanceLaunchRequested':
      return 'requested';
    case 'InstanceNetworkCreated':
    case 'InstanceSidecarReady':
    case 'InstanceWorkspaceMaterialized':
      return current === 'requested' || current === 'launching' ? 'launching' : current;
    case 'InstanceContainerStarted':
    case 'InstanceAdopted':
    case 'InstanceRestarted':
      return 'running';
    case 'InstanceExited':
      return current === 'ejecting' || current === 'ejected' ? current : 'exited';
    case 'InstanceLaunchFailed':
      return 'failed';
    case 'InstanceEjectRequested':
      return 'ejecting';
    case 'InstanceEjected':
      return 'ejected';
    case 'InstancePurged':
      return 'purged';
    case 'InstanceContainerLost':
      return 'lost';
    default:
      return undefined;
  }
}

/** States in which a launch or eject intent is still waiting for its outcome. */
export function isUnresolved(state: InstanceState): boolean {
  return state === 'requested' || state === 'launching' || state === 'ejecting';
}

/** States in which the instance still owns Docker objects. */
export function isLive(state: InstanceState): boolean {
  return (
    state === 'requested' ||
    state === 'launching' ||
    state === 'running' ||
    state === 'exited' ||
    state === 'ejecting'
  );
}

/** The instance an event is about, when its payload names one. */
export function instanceIdOf(event: AnyRecordedEvent): string | undefined {
  const data: unknown = event.data;
  if (
    typeof data === 'object' &&
    data !== null &&
    'instanceId' in data &&
    typeof data.instanceId === 'string'
  ) {
    return data.instanceId;
  }
  return undefined;
}
