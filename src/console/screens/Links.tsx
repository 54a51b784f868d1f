import { Box } from 'ink';
import { Line } from '../components/Line.js';
import { useConsoleData } from '../context.js';
import { cell } from '../model/format.js';
import { visibleWindow } from '../model/fleet-groups.js';
import { displayedView } from '../state/state.js';

/** Tracked issues and pull requests: state, checks and who they belong to. */
export function Links({ height }: { readonly height: number }) {
  const { state } = useConsoleData();
  const width = state.size.columns;
  const view = displayedView(state);
  if (!view.linksAvailable) {
    return (
      <Box flexDirection="column" height={height}>
        <Line text="Link tracking is not part of this build yet (see issue 7)." width={width} tone="muted" />
        <Line
          text="Issues and pull requests that agents report will be listed here."
          width={width}
          tone="muted"
        />
      </Box>
    );
  }
  const titleWidth = Math.max(10, width - 2 - 24 - 8 - 8 - 4);
  const focus = view.links.findIndex((l) => l.ref === state.selectedLink);
  const { start, end } = visibleWindow(view.links.length, Math.max(0, focus), height - 1);
  return (
    <Box flexDirection="column" height={height}>
      <Line
        text={` ${cell('LINK', 24)} ${cell('STATE', 8)} ${cell('CHECKS', 8)} ${cell('TITLE', titleWidth)}`}
        width={width}
        tone="muted"
      />
      {view.links.length === 0 ? <Line text="no links tracked yet" width={width} tone="muted" /> : null}
      {view.links.slice(start, end).map((link) => {
        const selected = link.ref === state.selectedLink;
        return (
          <Line
            key={link.ref}
            text={`${selected ? '>' : ' '}${cell(link.ref, 24)} ${cell(link.state, 8)} ${cell(link.checks ?? '-', 8)} ${cell(link.title, titleWidth)}`}
            width={width}
            tone={link.state === 'merged' ? 'active' : link.state === 'closed' ? 'muted' : 'plain'}
            inverse={selected}
            fill={selected}
          />
        );
      })}
    </Box>
  );
}
