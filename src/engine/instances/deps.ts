import type { ConfigStore } from '../../config/config-store.js';
import type { SqliteConnection } from '../../db/open.js';
import type { NewEvent } from '../../events/envelope.js';
import type { EventStore } from '../../events/store.js';
import type { ContainerRuntime, Mount, SecurityProfile } from '../../runtime/port.js';
import type { DockerFacts } from '../contract/session-contract.js';

/** The process performing a side effect (recorded with the intent). */
export interface Owner {
  readonly host: string;
  readonly pid: number;
}

/** The images a launch needs; the composition root binds it to the image service. */
export interface LaunchImages {
  /** The DinD image tag, and how the sidecar gets its powers on this engine. */
  sidecar(): Promise<{
    readonly image: string;
    readonly security: SecurityProfile;
    readonly mode: string;
    /** The DinD image's id once its reuse check (or build) is done. */
    readonly id: string;
  }>;
  /**
   * The DinD tag a sidecar would run, from the configuration alone (no reuse check, no Docker
   * call): what a launch inspects to decide cheaply whether a prewarmed sidecar fits (ADR 0025).
   */
  dindTag(): Promise<string>;
  /** The derived role image for a runtime (built, or reused when its recipe is unchanged). */
  role(request: {
    readonly roleDir: string;
    readonly roleKey: string;
    readonly agent: string;
    readonly rebuild: boolean;
  }): Promise<{
    readonly image: string;
    /** Which path each image took (reuse, build, bootstrap, pull). */ readonly how?: string;
  }>;
}

/** What the agents layer contributes to an instance (issue 6 fills this seam). */
export interface AgentProvision {
  /** Per-instance state mounts (agent homes, gh config, /jackin/state). */
  readonly mounts: readonly Mount[];
  /** Secret env for the agent: written to a private env file, never argv or events. */
  readonly env: Readonly<Record<string, string>>;
  /** Events to append to the instance stream (AuthForwarded: names, sources, fingerprints only). */
  readonly events: readonly NewEvent[];
}

/** The credentials a launch will forward, resolved in memory before any Docker object exists. */
export interface PlannedAgents {
  /** Writes state dirs and synced logins into the instance state (the workspace stage). */
  materialize(): AgentProvision;
}

export interface AgentProvisioner {
  /**
   * Resolves auth modes and values (runtimes, GitHub, operator env): a missing credential fails
   * here, naming the scope that chose the mode, before the launch records or creates anything.
   */
  plan(request: {
    readonly instanceId: string;
    readonly stateDir: string;
    readonly agent: string;
    readonly roleKey: string;
    readonly roleAgents: readonly string[];
    readonly workspace: string | null;
  }): Promise<PlannedAgents>;
}

/** An interactive terminal session in a container (the docker CLI with inherited stdio). */
export interface TerminalPort {
  /** Runs `argv` in the container with the operator's terminal; resolves with its exit code. */
  exec(container: string, argv: readonly string[]): Promise<number>;
  readonly interactive: boolean;
}

/** Where the engine says what it is doing (stderr lines on the CLI). */
export type StageReporter = (stage: string, detail: string) => void;

export interface InstanceDeps {
  readonly store: EventStore;
  readonly db: SqliteConnection;
  readonly runtime: ContainerRuntime;
  readonly terminal: TerminalPort;
  readonly images: LaunchImages;
  readonly agents: AgentProvisioner;
  readonly files: ConfigStore;
  readonly docker: DockerFacts;
  readonly paths: { readonly home: string; readonly data: string; readonly roles: string };
  readonly hostIdentity: { readonly uid: number; readonly gid: number };
  /** Environment for git and role resolution (PATH, HOME); never read for secrets here. */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly home: string;
  readonly now: () => Date;
  readonly owner: Owner;
  /** Whether a recorded owner process still runs (same host and a live pid). */
  readonly ownerAlive: (owner: Owner | undefined) => boolean;
  readonly sidecarTimeoutMs: number;
  readonly report: StageReporter;
  /** Asks a yes/no question on a terminal; absent without one. */
  readonly confirm?: ((question: string) => Promise<boolean>) | undefined;
  /** Role trust prompt and grant (src/roles resolveRole). */
  readonly confirmTrust?: ((q: { key: string; url: string; commit: string }) => Promise<boolean>) | undefined;
  readonly grantTrust: (grant: { key: string; url: string; commit: string }) => Promise<void>;
  /** Starts the background agent-status watcher for an instance (ADR 0016); absent in tests that need none. */
  readonly startStatusWatcher?: ((instanceId: string) => void) | undefined;
  /** Starts a detached `jackin prewarm` that tops the prewarmed-sidecar pool up (ADR 0020); absent: never. */
  readonly replenishPrewarm?: (() => void) | undefined;
  /** Fault injection for crash tests: sleep this long after a stage's outcome is recorded. */
  readonly pauseAfter?: { readonly stage: string; readonly ms: number } | undefined;
}
