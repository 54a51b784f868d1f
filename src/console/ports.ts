/**
 * The console's two ports: data comes in through ConsoleData, operator intents go out through
 * ConsoleActions. The Ink app imports nothing else from jackin but kernel types; the real adapters
 * live in src/app/console and read projections / follow the log by global position.
 */

/** Agent status as the console shows it (`unknown` until the agent first reports). */
export type AgentStatus = 'working' | 'blocked' | 'idle' | 'done' | 'unknown';

/** A GitHub issue or pull request and its tracked state. */
export interface LinkRef {
  readonly ref: string;
  readonly url: string;
  readonly kind: 'issue' | 'pull';
  readonly state: string;
}

export interface FleetInstance {
  readonly id: string;
  readonly name: string;
  readonly workspace: string;
  readonly role: string;
  readonly runtime: string;
  /** Lifecycle state from the instances projection (requested, running, exited, ejected, …). */
  readonly state: string;
  readonly agentStatus: AgentStatus;
  readonly agentReason: string | null;
  readonly containerId: string | null;
  readonly startedAt: string | null;
  readonly failure: string | null;
  readonly link: LinkRef | null;
  /** Global position of the last event that touched this instance. */
  readonly lastPosition: number;
}

export interface QueueTask {
  readonly id: string;
  readonly state: string;
  readonly title: string;
  readonly workspace: string;
  readonly role: string;
  readonly attempts: number;
  /** Worker holding the claim, when claimed. */
  readonly worker: string | null;
  readonly instanceId: string | null;
  readonly priority: number;
}

export interface LinkRow extends LinkRef {
  readonly title: string;
  readonly checks: string | null;
  /** Instances or tasks associated with the link. */
  readonly subjects: readonly string[];
}

export interface HistoryEntry {
  readonly position: number;
  readonly recordedAt: string;
  readonly streamId: string;
  readonly type: string;
  readonly summary: string;
}

/** The fleet, queue and links as of one position in the log. */
export interface FleetView {
  readonly position: number;
  /** When the event at `position` was recorded (null on an empty log). */
  readonly recordedAt: string | null;
  readonly instances: readonly FleetInstance[];
  readonly tasks: readonly QueueTask[];
  readonly links: readonly LinkRow[];
  /** False while the task queue / link tracking do not exist in this build. */
  readonly queueAvailable: boolean;
  readonly linksAvailable: boolean;
}

/** What changed after a position: rows to upsert and the new events for the history tail. */
export interface FleetChanges {
  readonly position: number;
  readonly recordedAt: string | null;
  readonly instances: readonly FleetInstance[];
  /** Full lists, present only when something in them changed. */
  readonly tasks?: readonly QueueTask[];
  readonly links?: readonly LinkRow[];
  readonly history: readonly HistoryEntry[];
}

export interface ResourceSample {
  readonly cpuPercent: number;
  readonly memoryBytes: number;
}

export interface HistoryQuery {
  /** Inclusive upper bound (time travel); the live head when absent. */
  readonly upTo?: number;
  readonly limit: number;
  readonly streamIds?: readonly string[];
}

export interface WorkspaceChoice {
  readonly name: string;
  readonly roles: readonly string[];
  readonly defaultRole: string | null;
  readonly defaultRuntime: string | null;
}

export interface LaunchChoices {
  readonly workspaces: readonly WorkspaceChoice[];
  readonly runtimes: readonly string[];
}

export interface LaunchRequest {
  readonly workspace: string;
  readonly role: string;
  readonly runtime: string;
}

/** Read side of the console. Every call is cheap: projections and positions, never a full log scan. */
export interface ConsoleData {
  /** The live fleet, queue and links from the projections. */
  snapshot(): Promise<FleetView>;
  /** Changes after `position`; `undefined` when the log has not moved. */
  changesSince(position: number): Promise<FleetChanges | undefined>;
  /** The newest events (ascending), optionally up to a position and for some streams only. */
  history(query: HistoryQuery): Promise<readonly HistoryEntry[]>;
  /** The fleet, queue and links replayed as they were at `position` (time travel). */
  replayAt(position: number): Promise<FleetView>;
  /** CPU/memory of running instances, keyed by instance id (sampled, never per frame). */
  sampleResources(instances: readonly FleetInstance[]): Promise<Readonly<Record<string, ResourceSample>>>;
  /** Workspaces, their roles and the runtimes the launch pickers offer. */
  launchChoices(): Promise<LaunchChoices>;
  /** The session contract `jackin explain` would show, one line each. */
  explain(request: LaunchRequest): Promise<readonly string[]>;
}

export type SessionKind = 'agent' | 'shell';

/** Write side of the console: each call records intents/outcomes as events through the engine. */
export interface ConsoleActions {
  /** Launches a new instance; resolves when it is started (the console keeps running). */
  launch(request: LaunchRequest): Promise<void>;
  /** Reattaches the operator's terminal; resolves after detach (the console suspends meanwhile). */
  reattach(instanceId: string): Promise<void>;
  /** Opens another agent or shell session in the instance and attaches to it. */
  newSession(instanceId: string, kind: SessionKind): Promise<void>;
  /** Removes the instance's containers, sidecar, network and certs volume. */
  eject(instanceId: string): Promise<void>;
  retryTask(taskId: string): Promise<void>;
  cancelTask(taskId: string): Promise<void>;
  /** Opens a link in the operator's browser. */
  openLink(url: string): Promise<void>;
}

/** Lends the operator's terminal to an attach (docker exec -it) and gives it back to the console. */
export interface TerminalHandoff {
  suspend<T>(work: () => Promise<T>): Promise<T>;
}
