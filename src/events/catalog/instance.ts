import { z } from 'zod';
import { defineEvent } from '../define.js';

const instanceRef = {
  instanceId: z.string().min(1),
};

/** The process that performs a side effect, so the reconciler can tell "in progress" from "crashed". */
const owner = z.object({ host: z.string(), pid: z.number().int() });

/** The Docker objects an instance owns (all also labelled `dev.jackin.instance=<id>`). */
const objectNames = z.object({
  container: z.string(),
  sidecar: z.string(),
  network: z.string(),
  certs: z.string(),
});

const objectRef = z.object({ kind: z.string(), name: z.string() });

/** Instance lifecycle. Each host-side effect is an intent (…Requested) followed by an outcome. */
export const instanceEvents = {
  InstanceLaunchRequested: defineEvent({
    version: 1,
    description: 'An operator or worker asked for a new instance; carries the resolved session contract.',
    schema: () =>
      z.object({
        ...instanceRef,
        name: z.string().min(1),
        role: z.string().min(1),
        workspace: z.string().min(1),
        runtime: z.string().min(1),
        contract: z.record(z.string(), z.unknown()).default({}),
        /** Names of the objects the launch will create (found again by label after a crash). */
        names: objectNames.optional(),
        /** The launching process; while it lives, an unfinished launch is in progress, not crashed. */
        owner: owner.optional(),
        /** The instance state directory on the host (`~/.jackin/data/<name>`). */
        stateDir: z.string().optional(),
      }),
  }),
  InstanceNetworkCreated: defineEvent({
    version: 1,
    description: 'The per-instance Docker network exists.',
    schema: () => z.object({ ...instanceRef, networkId: z.string(), networkName: z.string() }),
  }),
  InstanceSidecarReady: defineEvent({
    version: 1,
    description: 'The DinD sidecar answered over TLS.',
    schema: () =>
      z.object({
        ...instanceRef,
        containerId: z.string(),
        readyMs: z.number().nonnegative(),
        mode: z.string(),
        /** The prewarmed sidecar this launch adopted instead of starting one (ADR 0020). */
        prewarm: z.string().optional(),
        /**
         * The adopted prewarmed sidecar's container, removed because it ran another DinD image or mode
         * than this launch settled on; this sidecar was started in its place (ADR 0025).
         */
        replacedPrewarm: z.string().optional(),
      }),
  }),
  InstanceWorkspaceMaterialized: defineEvent({
    version: 1,
    description: 'Mounts were prepared (shared paths checked, worktrees or clones created).',
    schema: () =>
      z.object({
        ...instanceRef,
        mounts: z.array(
          z.object({
            src: z.string(),
            dst: z.string(),
            readonly: z.boolean(),
            isolation: z.string(),
            /** For worktree/clone: the host repository it came from, its scratch branch and base commit. */
            repo: z.string().optional(),
            branch: z.string().optional(),
            base: z.string().optional(),
          }),
        ),
      }),
  }),
  InstanceContainerStarted: defineEvent({
    version: 1,
    description: 'The role container is running.',
    schema: () => z.object({ ...instanceRef, containerId: z.string(), image: z.string() }),
  }),
  InstanceAttached: defineEvent({
    version: 1,
    description: 'An operator terminal attached to a session.',
    schema: () => z.object({ ...instanceRef, session: z.string().default('main') }),
  }),
  InstanceDetached: defineEvent({
    version: 1,
    description: 'An operator terminal detached; the agent keeps running.',
    schema: () => z.object({ ...instanceRef, session: z.string().default('main') }),
  }),
  InstanceExited: defineEvent({
    version: 1,
    description: 'The role container stopped.',
    schema: () =>
      z.object({ ...instanceRef, exitCode: z.number().int(), oomKilled: z.boolean().default(false) }),
  }),
  InstanceLaunchFailed: defineEvent({
    version: 1,
    description: 'A launch stage failed; what was created before it was removed.',
    schema: () => z.object({ ...instanceRef, stage: z.string(), reason: z.string() }),
  }),
  InstanceEjectRequested: defineEvent({
    version: 1,
    description: 'Removal of the containers, network and certs volume was requested.',
    schema: () => z.object({ ...instanceRef, purge: z.boolean().default(false), owner: owner.optional() }),
  }),
  InstanceEjectFailed: defineEvent({
    version: 1,
    description: 'An eject could not remove everything; `jackin eject` or `prune` finishes it.',
    schema: () => z.object({ ...instanceRef, reason: z.string() }),
  }),
  InstanceRestartRequested: defineEvent({
    version: 1,
    description: 'hardline found the role container stopped and asked to start it again in place.',
    schema: () =>
      z.object({ ...instanceRef, exitCode: z.number().int().optional(), owner: owner.optional() }),
  }),
  InstanceRestarted: defineEvent({
    version: 1,
    description: 'The sidecar answered over TLS again and the role container is running.',
    schema: () => z.object({ ...instanceRef, containerId: z.string(), readyMs: z.number().nonnegative() }),
  }),
  InstanceRestartFailed: defineEvent({
    version: 1,
    description: 'Restarting a stopped instance failed; its containers are kept for another try.',
    schema: () => z.object({ ...instanceRef, stage: z.string(), reason: z.string() }),
  }),
  InstanceOrphanRemoved: defineEvent({
    version: 1,
    description:
      'The reconciler removed labelled Docker objects nothing owns any more (an interrupted launch or eject, a lost instance).',
    schema: () => z.object({ ...instanceRef, objects: z.array(objectRef), reason: z.string() }),
  }),
  InstanceEjected: defineEvent({
    version: 1,
    description: 'Containers, sidecar, network and certs volume are gone.',
    schema: () =>
      z.object({
        ...instanceRef,
        /** Isolated checkouts kept because they hold uncommitted or unpushed work, with why. */
        kept: z.array(z.string()).default([]),
        /** Isolated checkouts removed because nothing in them was unsaved. */
        removed: z.array(z.string()).default([]),
      }),
  }),
  InstancePurged: defineEvent({
    version: 1,
    description: 'The instance state directory was deleted.',
    schema: () => z.object({ ...instanceRef, removed: z.array(z.string()).default([]) }),
  }),
  InstanceContainerLost: defineEvent({
    version: 1,
    description:
      'The reconciler found no role container behind a running instance, or behind a launch whose process died.',
    schema: () => z.object({ ...instanceRef, reason: z.string() }),
  }),
  InstanceAdopted: defineEvent({
    version: 1,
    description: 'The reconciler found a labelled container behind an intent without an outcome.',
    schema: () => z.object({ ...instanceRef, containerId: z.string() }),
  }),
  AgentStatusChanged: defineEvent({
    version: 1,
    description: 'The agent reported a status (working, blocked, idle, done).',
    schema: () =>
      z.object({
        ...instanceRef,
        state: z.enum(['working', 'blocked', 'idle', 'done']),
        reason: z.string().optional(),
        /** The tmux session/window the status is about (optional: older rows have none). */
        session: z.string().optional(),
        /** The evidence: `visible_screen`, `foreground_process`, `reported` (a status tag) or `hook` (the runtime's hooks). */
        source: z.string().optional(),
      }),
  }),
} as const;
