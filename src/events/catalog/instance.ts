import { z } from 'zod';
import { defineEvent } from '../define.js';

const instanceRef = {
  instanceId: z.string().min(1),
};

/** Instance lifecycle. Each host-side effect is an intent (…Requested) followed by an outcome. */
export const instanceEvents = {
  InstanceLaunchRequested: defineEvent({
    version: 1,
    description: 'An operator or worker asked for a new instance; carries the resolved session contract.',
    schema: z.object({
      ...instanceRef,
      name: z.string().min(1),
      role: z.string().min(1),
      workspace: z.string().min(1),
      runtime: z.string().min(1),
      contract: z.record(z.string(), z.unknown()).default({}),
    }),
  }),
  InstanceNetworkCreated: defineEvent({
    version: 1,
    description: 'The per-instance Docker network exists.',
    schema: z.object({ ...instanceRef, networkId: z.string(), networkName: z.string() }),
  }),
  InstanceSidecarReady: defineEvent({
    version: 1,
    description: 'The DinD sidecar answered over TLS.',
    schema: z.object({
      ...instanceRef,
      containerId: z.string(),
      readyMs: z.number().nonnegative(),
      mode: z.string(),
    }),
  }),
  InstanceWorkspaceMaterialized: defineEvent({
    version: 1,
    description: 'Mounts were prepared (shared paths checked, worktrees or clones created).',
    schema: z.object({
      ...instanceRef,
      mounts: z.array(
        z.object({ src: z.string(), dst: z.string(), readonly: z.boolean(), isolation: z.string() }),
      ),
    }),
  }),
  InstanceContainerStarted: defineEvent({
    version: 1,
    description: 'The role container is running.',
    schema: z.object({ ...instanceRef, containerId: z.string(), image: z.string() }),
  }),
  InstanceAttached: defineEvent({
    version: 1,
    description: 'An operator terminal attached to a session.',
    schema: z.object({ ...instanceRef, session: z.string().default('main') }),
  }),
  InstanceDetached: defineEvent({
    version: 1,
    description: 'An operator terminal detached; the agent keeps running.',
    schema: z.object({ ...instanceRef, session: z.string().default('main') }),
  }),
  InstanceExited: defineEvent({
    version: 1,
    description: 'The role container stopped.',
    schema: z.object({ ...instanceRef, exitCode: z.number().int(), oomKilled: z.boolean().default(false) }),
  }),
  InstanceLaunchFailed: defineEvent({
    version: 1,
    description: 'A launch stage failed; what was created before it was removed.',
    schema: z.object({ ...instanceRef, stage: z.string(), reason: z.string() }),
  }),
  InstanceEjectRequested: defineEvent({
    version: 1,
    description: 'Removal of the containers, network and certs volume was requested.',
    schema: z.object({ ...instanceRef, purge: z.boolean().default(false) }),
  }),
  InstanceEjected: defineEvent({
    version: 1,
    description: 'Containers, sidecar, network and certs volume are gone.',
    schema: z.object({ ...instanceRef, kept: z.array(z.string()).default([]) }),
  }),
  InstancePurged: defineEvent({
    version: 1,
    description: 'The instance state directory was deleted.',
    schema: z.object({ ...instanceRef }),
  }),
  InstanceContainerLost: defineEvent({
    version: 1,
    description: 'The reconciler found an intent without an outcome and no container behind it.',
    schema: z.object({ ...instanceRef, reason: z.string() }),
  }),
  InstanceAdopted: defineEvent({
    version: 1,
    description: 'The reconciler found a labelled container behind an intent without an outcome.',
    schema: z.object({ ...instanceRef, containerId: z.string() }),
  }),
  AgentStatusChanged: defineEvent({
    version: 1,
    description: 'The agent reported a status (working, blocked, idle, done).',
    schema: z.object({
      ...instanceRef,
      state: z.enum(['working', 'blocked', 'idle', 'done']),
      reason: z.string().optional(),
    }),
  }),
} as const;
