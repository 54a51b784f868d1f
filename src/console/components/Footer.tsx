import { Box } from 'ink';
import { useConsoleData } from '../context.js';
import { footerLines } from '../state/keymap.js';
import { Line } from './Line.js';

/** Every active key, packed into as few lines as the width allows. */
export function Footer() {
  const { state } = useConsoleData();
  const width = state.size.columns;
  return (
    <Box flexDirection="column">
      {footerLines(state, width).map((line, index) => (
        <Line key={index} text={line} width={width} tone="muted" />
      ))}
    </Box>
  );
}
