import { Box } from 'ink';
import { useConsoleData } from '../context.js';
import { formatTimestamp } from '../model/format.js';
import { isEnded } from '../model/fleet-groups.js';
import type { FleetView } from '../ports.js';
import { displayedView } from '../state/state.js';
import { Line } from './Line.js';

/** `5 running · 2 working · 1 BLOCKED · 1 DONE`: the fleet at a glance. */
export function fleetSummary(view: FleetView, unseenDone: ReadonlySet<string>): string {
  const present = view.instances.filter((i) => !isEnded(i));
  const running = present.filter((i) => i.state === 'running');
  const blocked = running.filter((i) => i.agentStatus === 'blocked').length;
  const done = running.filter((i) => i.agentStatus === 'done' && unseenDone.has(i.id)).length;
  const working = running.filter((i) => i.agentStatus === 'working').length;
  const parts = [`${running.length} running`, `${working} working`];
  if (present.length > running.length) parts.push(`${present.length - running.length} other`);
  if (blocked) parts.push(`${blocked} BLOCKED`);
  if (done) parts.push(`${done} DONE`);
  return parts.join(' · ');
}

/** Top line: live or past, the log position, and the fleet summary. The past is unmistakable. */
export function Header() {
  const { state } = useConsoleData();
  const width = state.size.columns;
  const view = displayedView(state);
  const summary = fleetSummary(view, state.timeTravel ? new Set() : state.unseenDone);
  if (state.timeTravel) {
    const { target } = state.timeTravel;
    const replaying = view.position !== target ? ' · replaying…' : '';
    const left = `<< PAST #${target} of #${state.live.position} · ${formatTimestamp(view.recordedAt)}${replaying}`;
    return (
      <Box flexDirection="column">
        <Line text={`${left} · ${summary}`} width={width} tone="attention" bold inverse fill />
      </Box>
    );
  }
  const left = state.loaded ? `jackin · LIVE #${state.live.position}` : 'jackin · loading…';
  const gap = Math.max(2, width - left.length - summary.length);
  return <Line text={`${left}${' '.repeat(gap)}${summary}`} width={width} bold />;
}
