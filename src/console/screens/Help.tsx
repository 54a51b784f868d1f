import { Box } from 'ink';
import { Line } from '../components/Line.js';
import { useConsoleData } from '../context.js';
import { statusLegend } from '../model/status.js';

const KEYS: readonly (readonly [string, string])[] = [
  ['↑↓ / j k', 'move the selection'],
  ['tab / 1-4', 'fleet, queue, links, history'],
  ['⏎', 'attach to the selected instance (the console returns on detach)'],
  ['n / s', 'open a new agent / shell session in it'],
  ['e', 'eject it (asks first)'],
  ['l', 'launch: workspace → role → runtime, then the contract'],
  ['r / c', 'retry / cancel the selected task'],
  ['o', 'open the selected link in a browser'],
  ['f', 'filter the log to the selected instance or task'],
  ['a', 'show or hide ejected instances'],
  ['t', 'time travel: ←→ one event, [ ] 100 events, t/esc back to live'],
  ['? / q', 'this help / quit'],
];

/** Every key and the meaning of every status symbol. */
export function Help({ height }: { readonly height: number }) {
  const { state } = useConsoleData();
  const width = state.size.columns;
  const legend = statusLegend()
    .map((b) => `${b.symbol} ${b.label}`)
    .join('   ');
  return (
    <Box flexDirection="column" height={height}>
      <Line text="Help" width={width} bold />
      {KEYS.map(([keys, text]) => (
        <Line key={keys} text={`  ${keys.padEnd(11)} ${text}`} width={width} />
      ))}
      <Line
        text="Status (upper case stands out: an agent waits for you or finished unseen):"
        width={width}
        bold
      />
      <Line text={`  ${legend}`} width={width} />
      <Line
        text="  lifecycle states (requested, launching, exited, failed, …) show when not running"
        width={width}
      />
    </Box>
  );
}
