import type { AnyRecordedEvent } from '../../events/envelope.js';
import type { InstanceRow } from '../../projections/instances.js';
import type { AgentStatus, FleetInstance, HistoryEntry } from '../../console/ports.js';

function agentStatus(value: string | null): AgentStatus {
  return value === 'working' || value === 'blocked' || value === 'idle' || value === 'done'
    ? value
    : 'unknown';
}

/** A projection row as the console's port shapes it. */
export function toFleetInstance(row: InstanceRow): FleetInstance {
  return {
    id: row.instance_id,
    name: row.name,
    workspace: row.workspace,
    role: row.role,
    runtime: row.runtime,
    state: row.state,
    agentStatus: agentStatus(row.agent_status),
    agentReason: row.agent_reason,
    containerId: row.container_id,
    startedAt: row.started_at,
    failure: row.failure,
    link: null,
    lastPosition: row.last_position,
  };
}

const SKIP_KEYS = new Set(['contract', 'instanceId']);

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.length}]`;
  return undefined;
}

/** `key=value` pairs of an event's scalar payload fields; the stream already names the instance. */
export function summarize(event: AnyRecordedEvent): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(event.data as Record<string, unknown>)) {
    if (SKIP_KEYS.has(key)) continue;
    const text = scalar(value);
    if (text !== undefined) parts.push(`${key}=${text.length > 40 ? `${text.slice(0, 39)}…` : text}`);
  }
  return parts.join(' ');
}

export function toHistoryEntry(event: AnyRecordedEvent): HistoryEntry {
  return {
    position: event.globalPosition,
    recordedAt: event.recordedAt,
    streamId: event.streamId,
    type: event.type,
    summary: summarize(event),
  };
}
