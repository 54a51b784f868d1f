import { Text } from 'ink';
import { useConsoleData } from '../context.js';
import { SCREENS, SCREEN_TITLES } from '../state/state.js';
import { toneColor } from '../theme.js';

/** `[1 Fleet]  2 Queue  3 Links  4 History`: brackets mark the screen without colour. */
export function Tabs() {
  const { state, color } = useConsoleData();
  const filter = state.historyStream === null ? '' : `  log filter: ${state.historyStream}`;
  return (
    <Text wrap="truncate-end">
      {SCREENS.map((screen, index) => {
        const label = `${index + 1} ${SCREEN_TITLES[screen]}`;
        const active = screen === state.screen;
        const hue = active ? toneColor('active', color) : undefined;
        return (
          <Text key={screen} bold={active} {...(hue ? { color: hue } : {})}>
            {active ? `[${label}]` : ` ${label} `}{' '}
          </Text>
        );
      })}
      <Text>{filter.slice(0, Math.max(0, state.size.columns - 44))}</Text>
    </Text>
  );
}
