import { Box } from 'ink';
import { useConsoleData } from '../context.js';
import type { Overlay } from '../state/state.js';
import { Line } from './Line.js';

/** A yes/no question; the body (e.g. the explain contract) may still be loading. */
export function ConfirmDialog(props: {
  readonly overlay: Extract<Overlay, { kind: 'confirm' }>;
  readonly height: number;
}) {
  const { state } = useConsoleData();
  const width = state.size.columns;
  const body = props.overlay.lines ?? ['resolving…'];
  const room = Math.max(1, props.height - 3);
  const shown = body.length > room ? [...body.slice(0, room - 1), `… ${body.length - room + 1} more`] : body;
  return (
    <Box flexDirection="column" height={props.height}>
      <Line text={props.overlay.title} width={width} bold tone="attention" />
      {shown.map((line, index) => (
        <Line key={index} text={`  ${line}`} width={width} />
      ))}
      <Line text=" " width={width} />
      <Line text="y / ⏎ confirm    n / esc cancel" width={width} bold />
    </Box>
  );
}
