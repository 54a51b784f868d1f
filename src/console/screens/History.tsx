import { Box } from 'ink';
import { HistoryList } from '../components/HistoryList.js';
import { Line } from '../components/Line.js';
import { useConsoleData } from '../context.js';
import { displayedHistory } from '../state/state.js';

/** The live tail of the event log (or the log up to the scrubbed position), filterable by stream. */
export function History({ height }: { readonly height: number }) {
  const { state } = useConsoleData();
  const width = state.size.columns;
  const scope = state.historyStream ? `only ${state.historyStream}` : 'every stream';
  const until = state.timeTravel ? `up to #${state.timeTravel.target}` : 'live tail';
  return (
    <Box flexDirection="column" height={height}>
      <Line text={`event log · ${until} · ${scope}`} width={width} tone="muted" />
      <HistoryList
        entries={displayedHistory(state)}
        width={width}
        height={height - 1}
        empty="no events yet"
      />
    </Box>
  );
}
