import type { AgentTag } from '../../kernel/agent-tags.js';
import type { AgentState, Classification, PaneSnapshot } from './classifier.js';
import { classifyPane } from './classifier.js';
import { hookStatus } from './hooks.js';
import type { HookStatus } from './hooks.js';
import type { RulePack } from './rule-pack.js';
import { TagTracker } from './tags.js';

export type PublishedState = Exclude<AgentState, 'unknown'>;

/** The `AgentStatusChanged` payload (src/events/catalog/instance.ts, structurally). */
export interface AgentStatusChangedData {
  readonly instanceId: string;
  readonly session: string;
  readonly state: PublishedState;
  readonly source: string;
  readonly reason?: string;
}

/** The `AgentTagEmitted` payload (src/events/catalog/agent.ts, structurally). */
export interface AgentTagEmittedData {
  readonly instanceId: string;
  readonly session: string;
  readonly tag: 'status' | 'pr' | 'issue';
  readonly url?: string;
  readonly state?: PublishedState;
  readonly reason?: string;
}

export interface TrackerOptions {
  readonly instanceId: string;
  readonly session: string;
  readonly pack: RulePack | undefined;
  /** Consecutive observations a new state needs before it is published (idle waits longest). */
  readonly confirmations?: Partial<Record<PublishedState, number>>;
  /** After a status tag or a hook record, the screen is not trusted to contradict it for this long. */
  readonly reportedTtlMs?: number;
}

export interface Observation {
  readonly status: AgentStatusChangedData | undefined;
  readonly tags: readonly AgentTagEmittedData[];
  readonly classification: Classification;
}

const DEFAULT_CONFIRMATIONS: Record<PublishedState, number> = { working: 2, blocked: 2, idle: 3, done: 1 };

/**
 * Turns successive pane snapshots into status changes and tags. Evidence, strongest first: a
 * status tag the agent printed (`reported`); the pane's process exited (`done`); the runtime's own
 * hooks (`hook`); the screen against the rule pack. Tags and hooks publish at once and hold against
 * the screen for `reportedTtlMs`, except that a blocking dialog on screen outranks a report of
 * `working` (a tool that asks the operator was reported as working when it started).
 * Debounced: a screen state is published only after it was seen in enough consecutive snapshots;
 * hook records are coalesced per snapshot (the last one that says something wins); nothing is
 * published twice in a row, so neither a flickering screen nor a burst of tool calls makes an
 * event storm. `unknown` never publishes (the last known state stands).
 */
export class StatusTracker {
  private current: AgentState = 'unknown';
  private candidate: PublishedState | undefined;
  private count = 0;
  private reportedUntil = -Infinity;
  private readonly tags = new TagTracker();
  private readonly confirmations: Record<PublishedState, number>;

  constructor(private readonly options: TrackerOptions) {
    this.confirmations = { ...DEFAULT_CONFIRMATIONS, ...options.confirmations };
  }

  get state(): AgentState {
    return this.current;
  }

  observe(snapshot: PaneSnapshot, nowMs: number): Observation {
    const { instanceId, session } = this.options;
    const tags = this.tags.fresh(snapshot.screen);
    const tagEvents = tags.map((tag) => tagPayload(instanceId, session, tag));
    const classification = classifyPane(snapshot, this.options.pack);
    const reported = [...tags].reverse().find((t) => t.kind === 'status');
    if (reported && reported.kind === 'status') {
      this.reportedUntil = nowMs + (this.options.reportedTtlMs ?? 30_000);
      this.reset();
      return {
        status: this.publish(reported.state, 'reported', reported.reason),
        tags: tagEvents,
        classification,
      };
    }
    const exited = classification.source === 'foreground_process';
    const hooked = exited ? undefined : lastHookStatus(snapshot);
    if (hooked) {
      this.reportedUntil = nowMs + (this.options.reportedTtlMs ?? 30_000);
      this.reset();
      return { status: this.publish(hooked.state, 'hook', hooked.reason), tags: tagEvents, classification };
    }
    // A process exit outranks a fresh report; the screen does not, except a dialog over `working`.
    const dialog = classification.state === 'blocked' && this.current === 'working';
    const trusted = exited || dialog || nowMs >= this.reportedUntil;
    if (!trusted || classification.state === 'unknown' || classification.state === this.current) {
      this.reset();
      return { status: undefined, tags: tagEvents, classification };
    }
    const state = classification.state;
    if (state === this.candidate) this.count += 1;
    else {
      this.candidate = state;
      this.count = 1;
    }
    if (this.count < this.confirmations[state]) return { status: undefined, tags: tagEvents, classification };
    this.reset();
    return {
      status: this.publish(state, classification.source, classification.reason),
      tags: tagEvents,
      classification,
    };
  }

  private reset(): void {
    this.candidate = undefined;
    this.count = 0;
  }

  private publish(
    state: PublishedState,
    source: string,
    reason: string | undefined,
  ): AgentStatusChangedData | undefined {
    if (state === this.current) return undefined;
    this.current = state;
    const { instanceId, session } = this.options;
    return { instanceId, session, state, source, ...(reason === undefined ? {} : { reason }) };
  }
}

/** The last hook record of this snapshot that says something about the agent's state. */
function lastHookStatus(snapshot: PaneSnapshot): HookStatus | undefined {
  for (const record of [...(snapshot.hooks ?? [])].reverse()) {
    const status = hookStatus(record);
    if (status) return status;
  }
  return undefined;
}

function tagPayload(instanceId: string, session: string, tag: AgentTag): AgentTagEmittedData {
  if (tag.kind === 'status') {
    return {
      instanceId,
      session,
      tag: 'status',
      state: tag.state,
      ...(tag.reason ? { reason: tag.reason } : {}),
    };
  }
  return { instanceId, session, tag: tag.kind, url: tag.url };
}
