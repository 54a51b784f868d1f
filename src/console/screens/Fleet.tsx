import { Box } from 'ink';
import { HistoryList } from '../components/HistoryList.js';
import { Line } from '../components/Line.js';
import { useConsoleData } from '../context.js';
import { fleetColumns, fleetHeaderText, fleetRowText } from '../model/fleet-columns.js';
import { fleetRows, groupByWorkspace, visibleWindow } from '../model/fleet-groups.js';
import type { FleetRow } from '../model/fleet-groups.js';
import { statusBadge } from '../model/status.js';
import { displayedHistory, displayedNow, displayedView } from '../state/state.js';

/** Lines given to the history tail under the fleet when there is room. */
const TAIL_LINES = 5;

function groupText(row: Extract<FleetRow, { kind: 'group' }>): string {
  const { group } = row;
  const parts = [`${group.instances.length} instance${group.instances.length === 1 ? '' : 's'}`];
  if (group.blocked) parts.push(`${group.blocked} blocked`);
  if (group.done) parts.push(`${group.done} done`);
  return `[${group.workspace}] ${parts.join(' · ')}`;
}

function rule(prefix: string, width: number): string {
  return prefix + '-'.repeat(Math.max(0, width - [...prefix].length));
}

/** Instances grouped by workspace, with a live history tail below. */
export function Fleet({ height }: { readonly height: number }) {
  const { state } = useConsoleData();
  const width = state.size.columns;
  const view = displayedView(state);
  const now = displayedNow(state);
  const rows = fleetRows(groupByWorkspace(view.instances, { showEnded: state.showEnded }));
  const showTail = height >= 12;
  const listHeight = Math.max(1, height - 1 - (showTail ? TAIL_LINES + 1 : 0));
  const focus = rows.findIndex((r) => r.kind === 'instance' && r.instance.id === state.selectedInstance);
  const { start, end } = visibleWindow(rows.length, Math.max(0, focus), listHeight);
  const columns = fleetColumns(width);
  const unseen = state.timeTravel ? new Set<string>() : state.unseenDone;
  const hidden = view.instances.length - rows.filter((r) => r.kind === 'instance').length;
  return (
    <Box flexDirection="column" height={height}>
      <Line text={fleetHeaderText(columns)} width={width} tone="muted" />
      <Box flexDirection="column" height={listHeight}>
        {rows.length === 0 ? (
          <Line
            text={
              hidden > 0
                ? `no live instances (${hidden} ended: press a to show them)`
                : 'no instances yet: press l to launch one, or run `jackin load`'
            }
            width={width}
            tone="muted"
          />
        ) : (
          rows.slice(start, end).map((row) => {
            if (row.kind === 'group') {
              const tone = row.group.blocked ? 'danger' : row.group.done ? 'attention' : 'plain';
              return (
                <Line key={`g:${row.group.workspace}`} text={groupText(row)} width={width} bold tone={tone} />
              );
            }
            const { instance } = row;
            const badge = statusBadge(instance, unseen.has(instance.id));
            const selected = instance.id === state.selectedInstance;
            return (
              <Line
                key={instance.id}
                text={fleetRowText(instance, badge, {
                  columns,
                  selected,
                  resources: state.resources[instance.id],
                  now,
                })}
                width={width}
                tone={badge.tone}
                bold={badge.standsOut}
                inverse={selected}
                fill={selected}
              />
            );
          })
        )}
      </Box>
      {showTail ? (
        <Box flexDirection="column">
          <Line
            text={rule(`-- log${state.historyStream ? ` (${state.historyStream})` : ''} `, width)}
            width={width}
            tone="muted"
          />
          <HistoryList
            entries={displayedHistory(state)}
            width={width}
            height={TAIL_LINES}
            empty="no events yet"
          />
        </Box>
      ) : null}
    </Box>
  );
}
