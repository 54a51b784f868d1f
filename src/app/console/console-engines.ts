import type { TerminalHandoff } from '../../console/ports.js';
import { attachInstance } from '../../engine/instances/attach.js';
import type { SessionKind } from '../../engine/instances/attach.js';
import type { InstanceDeps } from '../../engine/instances/deps.js';
import { ejectInstance } from '../../engine/instances/eject.js';
import { launchInstance } from '../../engine/instances/launch.js';
import { executeTaskCommand } from '../../engine/task/execute.js';
import type { EventStore } from '../../events/store.js';
import { NotFoundError } from '../../kernel/errors.js';
import { findInstance } from '../../projections/instances.js';
import type { InstanceRow } from '../../projections/instances.js';
import type { ConsoleEngines } from './console-actions.js';

function instanceRow(deps: InstanceDeps, instanceId: string): InstanceRow {
  const row = findInstance(deps.db, instanceId).find((r) => r.instance_id === instanceId);
  if (!row) throw new NotFoundError(`no instance ${instanceId}`);
  return row;
}

async function attachWith(
  deps: InstanceDeps,
  instanceId: string,
  session: SessionKind,
  terminal: TerminalHandoff,
): Promise<void> {
  const row = instanceRow(deps, instanceId);
  // The console gives the terminal away for the attach (docker exec -it … tmux attach) and takes it back.
  await terminal.suspend(() => attachInstance(deps, row, session));
}

/**
 * The real instance engine behind the console's actions: the same handlers `jackin load`,
 * `hardline` and `eject` run. `deps` carries no prompts (the console owns the terminal), so a
 * launch that would need a confirmation refuses instead of asking.
 */
export function instanceConsoleEngines(deps: InstanceDeps): ConsoleEngines {
  return {
    async launch(request) {
      await launchInstance(
        {
          role: request.role,
          workspace: request.workspace,
          agent: request.runtime,
          mounts: [],
          limits: {},
          rebuild: false,
          force: false,
        },
        deps,
      );
    },
    reattach: (instanceId, terminal) => attachWith(deps, instanceId, { kind: 'attach' }, terminal),
    newSession: (instanceId, kind, terminal) => {
      const row = instanceRow(deps, instanceId);
      const session: SessionKind = kind === 'shell' ? { kind: 'shell' } : { kind: 'new', agent: row.runtime };
      return attachWith(deps, instanceId, session, terminal);
    },
    async eject(instanceId) {
      await ejectInstance(deps, instanceRow(deps, instanceId), false);
    },
  };
}

/** Task actions from the queue pane: the same decider `jackin task retry|cancel` runs, recorded as the console. */
export function taskConsoleEngines(store: EventStore): Pick<ConsoleEngines, 'retryTask' | 'cancelTask'> {
  return {
    async retryTask(taskId) {
      await executeTaskCommand(store, taskId, { type: 'RetryTask' }, { actor: 'console' });
    },
    async cancelTask(taskId) {
      await executeTaskCommand(
        store,
        taskId,
        { type: 'CancelTask', reason: 'cancelled from the console' },
        { actor: 'console' },
      );
    },
  };
}
