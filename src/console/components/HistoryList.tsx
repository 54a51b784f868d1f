import { Box } from 'ink';
import { formatClock } from '../model/format.js';
import type { HistoryEntry } from '../ports.js';
import { Line } from './Line.js';

export function historyLine(entry: HistoryEntry): string {
  return `${formatClock(entry.recordedAt)} #${entry.position} ${entry.streamId} ${entry.type} ${entry.summary}`.trimEnd();
}

function toneOf(entry: HistoryEntry) {
  if (entry.type.endsWith('Failed') || entry.type.endsWith('Lost')) return 'danger' as const;
  if (entry.type === 'AgentStatusChanged' && entry.summary.includes('state=blocked'))
    return 'danger' as const;
  return 'plain' as const;
}

/** The newest `height` entries, newest last. */
export function HistoryList(props: {
  readonly entries: readonly HistoryEntry[];
  readonly width: number;
  readonly height: number;
  readonly empty: string;
}) {
  const shown = props.entries.slice(Math.max(0, props.entries.length - props.height));
  return (
    <Box flexDirection="column">
      {shown.length === 0 ? (
        <Line text={props.empty} width={props.width} tone="muted" />
      ) : (
        shown.map((entry) => (
          <Line key={entry.position} text={historyLine(entry)} width={props.width} tone={toneOf(entry)} />
        ))
      )}
    </Box>
  );
}
