import type { AnyRecordedEvent } from '../../events/envelope.js';

const SKIP_KEYS = new Set(['contract']);

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.length}]`;
  return undefined;
}

/** A short `key=value` summary of an event's payload (nested objects elided). */
export function summarizeEvent(event: AnyRecordedEvent): string {
  const data = event.data as Record<string, unknown>;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (SKIP_KEYS.has(key)) continue;
    const text = scalar(value);
    if (text !== undefined) parts.push(`${key}=${text.length > 60 ? `${text.slice(0, 57)}...` : text}`);
  }
  return parts.join(' ');
}

/** `time  #position  stream  Type  summary`: one line per event, newest last. */
export function renderEventLine(event: AnyRecordedEvent): string {
  const time = event.recordedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return `${time}  #${event.globalPosition}  ${event.streamId}@${event.streamVersion}  ${event.type}  ${summarizeEvent(event)}`.trimEnd();
}

/** The `--json` shape of an event. */
export function eventToJson(event: AnyRecordedEvent): Record<string, unknown> {
  return {
    position: event.globalPosition,
    stream: event.streamId,
    version: event.streamVersion,
    type: event.type,
    schema_version: event.schemaVersion,
    recorded_at: event.recordedAt,
    data: event.data,
    metadata: event.metadata,
  };
}
