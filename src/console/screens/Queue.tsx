import { Box } from 'ink';
import { Line } from '../components/Line.js';
import { useConsoleData } from '../context.js';
import { cell } from '../model/format.js';
import { visibleWindow } from '../model/fleet-groups.js';
import { sortTasks } from '../model/task-order.js';
import { displayedView } from '../state/state.js';

function taskTone(state: string) {
  if (state === 'failed' || state === 'dead_lettered') return 'danger' as const;
  if (state === 'running' || state === 'started' || state === 'claimed') return 'active' as const;
  if (state === 'succeeded' || state === 'cancelled') return 'muted' as const;
  return 'plain' as const;
}

/** Tasks by state, with attempts and the worker holding each claim. */
export function Queue({ height }: { readonly height: number }) {
  const { state } = useConsoleData();
  const width = state.size.columns;
  const view = displayedView(state);
  if (!view.queueAvailable) {
    return (
      <Box flexDirection="column" height={height}>
        <Line text="The task queue is not part of this build yet (see issue 7)." width={width} tone="muted" />
        <Line
          text="Queued tasks will be listed here by state, with attempts and workers."
          width={width}
          tone="muted"
        />
      </Box>
    );
  }
  const tasks = sortTasks(view.tasks);
  const titleWidth = Math.max(10, width - 2 - 14 - 10 - 4 - 16 - 5);
  const focus = tasks.findIndex((t) => t.id === state.selectedTask);
  const { start, end } = visibleWindow(tasks.length, Math.max(0, focus), height - 1);
  return (
    <Box flexDirection="column" height={height}>
      <Line
        text={` ${cell('STATE', 14)} ${cell('TASK', 10)} ${cell('TITLE', titleWidth)} ${cell('TRY', 4)} ${cell('WORKER', 16)}`}
        width={width}
        tone="muted"
      />
      {tasks.length === 0 ? (
        <Line text="no tasks queued: `jackin task add`" width={width} tone="muted" />
      ) : null}
      {tasks.slice(start, end).map((task) => {
        const selected = task.id === state.selectedTask;
        return (
          <Line
            key={task.id}
            text={`${selected ? '>' : ' '}${cell(task.state, 14)} ${cell(task.id, 10)} ${cell(task.title, titleWidth)} ${cell(String(task.attempts), 4)} ${cell(task.worker ?? '-', 16)}`}
            width={width}
            tone={taskTone(task.state)}
            inverse={selected}
            fill={selected}
          />
        );
      })}
    </Box>
  );
}
