import type { ConfigStore } from '../../config/config-store.js';
import type { TaskLimits, TaskSource } from '../../domain/task.js';
import type { EventStore } from '../../events/store.js';
import type { IdGenerator } from '../../kernel/clock.js';
import { UsageError } from '../../kernel/errors.js';
import { executeTaskCommand } from './execute.js';
import {
  resolveTaskLimits,
  resolveTaskRuntime,
  resolveTaskWorkspace,
  workspaceLabel,
} from './task-target.js';

export interface TaskRequest {
  readonly workspace: string;
  readonly role: string;
  readonly agent?: string | undefined;
  readonly memory?: string | undefined;
  readonly cpus?: number | undefined;
  readonly priority?: number | undefined;
  readonly prompt: string;
}

export interface QueueDeps {
  readonly store: EventStore;
  readonly config: ConfigStore;
  readonly ids: IdGenerator;
  readonly cwd: string;
  readonly home: string;
}

/** A resolved task, ready to become a `TaskQueued` event. */
export interface TaskSpec {
  readonly workspace: string;
  readonly role: string;
  readonly runtime: string;
  readonly prompt: string;
  readonly priority: number;
  readonly limits: TaskLimits;
}

/** Checks the request against config (workspace, agent, limits) without writing anything. */
export async function resolveTaskSpec(deps: QueueDeps, request: TaskRequest): Promise<TaskSpec> {
  if (request.prompt.trim().length === 0) {
    throw new UsageError('the task prompt is empty', {
      hint: 'jackin task add --workspace W --role R "PROMPT"',
    });
  }
  if (request.role.trim().length === 0) throw new UsageError('--role must not be empty');
  const target = await resolveTaskWorkspace(deps.config, request.workspace, deps);
  const config = (await deps.config.loadConfig()).value;
  const runtime = resolveTaskRuntime(request.agent, target, Object.keys(config.runtimes ?? {}));
  const ws = target.kind === 'saved' ? target.workspace : undefined;
  const limits = resolveTaskLimits({ memory: request.memory, cpus: request.cpus }, [
    ws?.roles?.[request.role]?.limits,
    ws?.limits,
    config.roles?.[request.role]?.limits,
    config.limits,
  ]);
  return {
    workspace: workspaceLabel(target),
    role: request.role,
    runtime,
    prompt: request.prompt,
    priority: request.priority ?? 0,
    limits,
  };
}

/** A short task id (the stream is `task-<id>`); prompt tasks get a random one. */
export function newTaskId(ids: IdGenerator): string {
  return ids.uuid().replace(/-/g, '').slice(0, 12);
}

/** Appends `TaskQueued` on a new stream; `no_stream` makes a duplicate id a conflict, not a second task. */
export async function queueTask(
  store: EventStore,
  taskId: string,
  spec: TaskSpec,
  source: TaskSource,
): Promise<void> {
  await executeTaskCommand(
    store,
    taskId,
    { type: 'QueueTask', taskId, source, ...spec, limits: { ...spec.limits } },
    { conflictRetries: 0 },
  );
}
