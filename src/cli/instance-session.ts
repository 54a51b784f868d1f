import { homedir } from 'node:os';
import type { InstanceDeps } from '../engine/instances/deps.js';
import type { ReconcileAction } from '../engine/instances/reconcile.js';
import { terminalConfirm } from './confirm.js';
import type { CliContext } from './context.js';
import { parseBaseFlags } from './image-options.js';
import { writeLine } from './io.js';

/** The instance engine's deps for one CLI command: progress lines on stderr, prompts on a TTY. */
export async function instanceDeps(
  context: CliContext,
  options: { quiet?: boolean; prompts?: boolean } = {},
): Promise<InstanceDeps> {
  const { io } = context;
  const started = Date.now();
  // Imported here, not at the top: only commands that touch instances pay for Docker and the engine.
  const [app, { createInstanceDeps }] = await Promise.all([context.app(), import('../app/instances.js')]);
  return createInstanceDeps(app, {
    cwd: io.cwd,
    home: io.env.HOME ?? homedir(),
    interactive: io.stdinIsTTY && io.stdoutIsTTY,
    shared: parseBaseFlags({}, io.env),
    confirm: options.prompts === false ? undefined : terminalConfirm(io),
    report: options.quiet
      ? () => undefined
      : (stage, detail) =>
          writeLine(
            io.stderr,
            `${stage.padEnd(10)} ${detail}  (${((Date.now() - started) / 1000).toFixed(1)}s)`,
          ),
  });
}

/** The cheap reconcile every instance command runs first; what it found goes to stderr. */
export async function reconcileQuietly(
  context: CliContext,
  deps: InstanceDeps,
  full = false,
): Promise<ReconcileAction[]> {
  const { reconcileInstances } = await import('../engine/instances/reconcile.js');
  const actions = await reconcileInstances(deps, { full });
  for (const action of actions)
    writeLine(context.io.stderr, `reconciled ${action.instanceId}: ${action.event} (${action.detail})`);
  return actions;
}
