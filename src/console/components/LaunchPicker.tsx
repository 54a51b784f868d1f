import { Box } from 'ink';
import { useConsoleData } from '../context.js';
import { visibleWindow } from '../model/fleet-groups.js';
import { pickerItems } from '../state/reducer.js';
import type { Overlay } from '../state/state.js';
import { Line } from './Line.js';

const STEPS = ['workspace', 'role', 'runtime'] as const;

/** Launch: workspace → role → runtime, then the contract in a confirmation. */
export function LaunchPicker(props: {
  readonly overlay: Extract<Overlay, { kind: 'launch' }>;
  readonly height: number;
}) {
  const { state } = useConsoleData();
  const width = state.size.columns;
  const { overlay } = props;
  const items = pickerItems(overlay);
  const trail = STEPS.map((step, index) => {
    const value = step === 'workspace' ? overlay.workspace : step === 'role' ? overlay.role : null;
    const label = `${index + 1} ${step}${value && step !== overlay.step ? `: ${value}` : ''}`;
    return step === overlay.step ? `[${label}]` : label;
  }).join(' > ');
  const { start, end } = visibleWindow(items.length, overlay.cursor, Math.max(1, props.height - 2));
  return (
    <Box flexDirection="column" height={props.height}>
      <Line text={`Launch  ${trail}`} width={width} bold />
      <Line text={`choose a ${overlay.step}:`} width={width} tone="muted" />
      {items.length === 0 ? (
        <Line text={`no ${overlay.step}s to choose from`} width={width} tone="danger" />
      ) : null}
      {items.slice(start, end).map((item, index) => {
        const selected = start + index === overlay.cursor;
        return (
          <Line
            key={item}
            text={`${selected ? '>' : ' '} ${item}`}
            width={width}
            inverse={selected}
            fill={selected}
          />
        );
      })}
    </Box>
  );
}
