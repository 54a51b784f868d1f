import type { AgentStatus, FleetInstance } from '../ports.js';

/** How a status reads on screen: a symbol and a word that stay meaningful without colour. */
export type Tone = 'danger' | 'attention' | 'active' | 'muted' | 'plain';

export interface StatusBadge {
  readonly symbol: string;
  readonly label: string;
  readonly tone: Tone;
  /** Blocked and done-but-unseen rows stand out (bold, upper case). */
  readonly standsOut: boolean;
}

const AGENT_BADGES: Record<AgentStatus, StatusBadge> = {
  blocked: { symbol: '!', label: 'BLOCKED', tone: 'danger', standsOut: true },
  done: { symbol: '*', label: 'DONE', tone: 'attention', standsOut: true },
  working: { symbol: '~', label: 'working', tone: 'active', standsOut: false },
  idle: { symbol: '-', label: 'idle', tone: 'plain', standsOut: false },
  unknown: { symbol: '?', label: 'unknown', tone: 'muted', standsOut: false },
};

const SEEN_DONE: StatusBadge = { symbol: '+', label: 'done', tone: 'plain', standsOut: false };

/**
 * The badge of an instance row: the agent status while its container runs, otherwise its lifecycle
 * state (launching, exited, failed, …). A done agent stops standing out once the operator saw it.
 */
export function statusBadge(instance: FleetInstance, unseen: boolean): StatusBadge {
  if (instance.state !== 'running') {
    const tone: Tone =
      instance.state === 'failed' || instance.state === 'lost'
        ? 'danger'
        : instance.state === 'requested' || instance.state === 'launching'
          ? 'active'
          : 'muted';
    return { symbol: tone === 'danger' ? 'x' : '.', label: instance.state, tone, standsOut: false };
  }
  if (instance.agentStatus === 'done' && !unseen) return SEEN_DONE;
  return AGENT_BADGES[instance.agentStatus];
}

/** Roll-up precedence for a workspace: blocked > done > working > idle > unknown. */
const PRECEDENCE: readonly AgentStatus[] = ['blocked', 'done', 'working', 'idle', 'unknown'];

export function rollUp(statuses: readonly AgentStatus[]): AgentStatus {
  for (const status of PRECEDENCE) if (statuses.includes(status)) return status;
  return 'unknown';
}

/** The legend shown in help: every badge, so the symbols can be learned once. */
export function statusLegend(): readonly StatusBadge[] {
  return [
    AGENT_BADGES.blocked,
    AGENT_BADGES.done,
    AGENT_BADGES.working,
    AGENT_BADGES.idle,
    SEEN_DONE,
    AGENT_BADGES.unknown,
  ];
}

export function toAgentStatus(value: string | null): AgentStatus {
  return value === 'working' || value === 'blocked' || value === 'idle' || value === 'done'
    ? value
    : 'unknown';
}
