import { JackinError, NotFoundError } from '../../kernel/errors.js';
import type { InstanceRow } from '../../projections/instances.js';
import { waitForSidecar } from '../../runtime/dind-ready.js';
import { LABEL } from '../../runtime/labels.js';
import type { InstanceDeps } from './deps.js';
import { ejectInstance } from './eject.js';
import { InstanceWriter, instanceStream, latest } from './instance-stream.js';
import { instanceFilter } from './teardown.js';

export type SessionKind =
  { readonly kind: 'attach' } | { readonly kind: 'new'; readonly agent: string } | { readonly kind: 'shell' };

export interface AttachOutcome {
  readonly id: string;
  readonly name: string;
  /** What the instance did when the terminal came back. */
  readonly after: 'detached' | 'exited' | 'ejected';
  readonly exitCode?: number;
  readonly restarted: boolean;
}

async function containersOf(
  deps: InstanceDeps,
  instanceId: string,
): Promise<{ role?: string; sidecar?: string }> {
  const list = await deps.runtime.containers.list({ labels: instanceFilter(instanceId), all: true });
  const role = list.find((c) => c.labels[LABEL.kind] === 'role')?.id;
  const sidecar = list.find((c) => c.labels[LABEL.kind] === 'dind')?.id;
  return { ...(role ? { role } : {}), ...(sidecar ? { sidecar } : {}) };
}

/**
 * Restarts a stopped instance in place: the sidecar first (waiting for TLS again), then the role
 * container. Intent and outcome are recorded; the containers are kept on failure for another try.
 */
export async function restartInstance(deps: InstanceDeps, row: InstanceRow): Promise<void> {
  const { role, sidecar } = await containersOf(deps, row.instance_id);
  if (!role || !sidecar) {
    throw new NotFoundError(`${row.name} has no ${role ? 'sidecar' : 'role container'} left to restart`, {
      hint: `run \`jackin eject ${row.instance_id}\` and \`jackin load\` again (its state is kept)`,
    });
  }
  const details = await deps.runtime.containers.inspect(role);
  const writer = await InstanceWriter.open(deps.store, row.instance_id);
  await writer.append({
    type: 'InstanceRestartRequested',
    data: {
      instanceId: row.instance_id,
      ...(details?.exitCode !== undefined ? { exitCode: details.exitCode } : {}),
      owner: deps.owner,
    },
  });
  let step = 'sidecar';
  try {
    const events = await deps.store.readStream(instanceStream(row.instance_id));
    const names = latest(events, 'InstanceLaunchRequested')?.names;
    const sidecarDetails = await deps.runtime.containers.inspect(sidecar);
    if (!sidecarDetails?.running) await deps.runtime.containers.start(sidecar);
    const readyMs = await waitForSidecar(deps.runtime, sidecar, {
      name: names?.sidecar ?? sidecarDetails?.name ?? sidecar,
      network: names?.network ?? row.network ?? '',
      timeoutMs: deps.sidecarTimeoutMs,
    });
    step = 'container';
    await deps.runtime.containers.start(role);
    await writer.append({
      type: 'InstanceRestarted',
      data: { instanceId: row.instance_id, containerId: role, readyMs: Math.round(readyMs) },
    });
    deps.report('restarted', `${row.name} (sidecar ready in ${Math.round(readyMs)} ms)`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await writer.append({
      type: 'InstanceRestartFailed',
      data: { instanceId: row.instance_id, stage: step, reason },
    });
    throw error;
  }
}

function sessionArgv(session: SessionKind): string[][] {
  if (session.kind === 'new') {
    return [['tmux', 'new-window', '-t', 'main', '-n', session.agent, `jackin-runtime-${session.agent}`]];
  }
  if (session.kind === 'shell') return [['tmux', 'new-window', '-t', 'main', '-n', 'shell']];
  return [];
}

/**
 * Attaches the operator's terminal to the instance's tmux session (restarting a stopped instance
 * in place first). When the terminal returns: still running → detached; stopped with 0 → the agent
 * ended the instance (eject, keeping unsaved checkouts); stopped otherwise → kept for hardline.
 */
export async function attachInstance(
  deps: InstanceDeps,
  row: InstanceRow,
  session: SessionKind,
): Promise<AttachOutcome> {
  const { role } = await containersOf(deps, row.instance_id);
  if (!role) {
    throw new NotFoundError(`${row.name} has no role container`, {
      hint: `run \`jackin load\` again; \`jackin status\` shows what is left of it`,
    });
  }
  let details = await deps.runtime.containers.inspect(role);
  let restarted = false;
  if (!details?.running) {
    await restartInstance(deps, row);
    restarted = true;
    details = await deps.runtime.containers.inspect(role);
  }
  if (!deps.terminal.interactive) {
    throw new JackinError('usage', 'attaching needs an interactive terminal', {
      hint: 'run it from a terminal, or use --detach / `jackin status`',
    });
  }
  // The session may still be starting right after a launch or restart.
  for (let i = 0; i < 50; i++) {
    const probe = await deps.runtime.containers.exec(role, ['tmux', 'has-session', '-t', 'main']);
    if (probe.exitCode === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const argv of sessionArgv(session)) {
    const result = await deps.runtime.containers.exec(role, argv);
    if (result.exitCode !== 0)
      throw new JackinError('operation_failed', `cannot open a session: ${result.stderr.trim()}`);
  }
  const writer = await InstanceWriter.open(deps.store, row.instance_id);
  const sessionName = session.kind === 'attach' ? 'main' : session.kind === 'new' ? session.agent : 'shell';
  await writer.append({
    type: 'InstanceAttached',
    data: { instanceId: row.instance_id, session: sessionName },
  });
  // Idempotent: a live watcher keeps its claim; one that ended with a crash is replaced.
  deps.startStatusWatcher?.(row.instance_id);
  await deps.terminal.exec(role, ['tmux', 'attach-session', '-t', 'main']);
  await writer.append({
    type: 'InstanceDetached',
    data: { instanceId: row.instance_id, session: sessionName },
  });
  details = await deps.runtime.containers.inspect(role);
  if (details?.running) return { id: row.instance_id, name: row.name, after: 'detached', restarted };
  const exitCode = details?.exitCode ?? -1;
  await writer.append({
    type: 'InstanceExited',
    data: { instanceId: row.instance_id, exitCode, oomKilled: details?.oomKilled ?? false },
  });
  if (exitCode === 0) {
    await ejectInstance(deps, { ...row, state: 'exited' }, false);
    return { id: row.instance_id, name: row.name, after: 'ejected', exitCode, restarted };
  }
  return { id: row.instance_id, name: row.name, after: 'exited', exitCode, restarted };
}
