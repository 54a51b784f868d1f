import { decide, foldTask, taskStream } from '../../domain/task.js';
import type { TaskCommand, TaskState } from '../../domain/task.js';
import type { Actor, AnyRecordedEvent } from '../../events/envelope.js';
import { VersionConflictError } from '../../events/expected-version.js';
import type { EventStore } from '../../events/store.js';
import { NotFoundError } from '../../kernel/errors.js';

export interface ExecuteOptions {
  readonly actor?: Actor | undefined;
  readonly causationId?: string | undefined;
  /** How often to re-read and re-decide after a concurrent append (default 5). */
  readonly conflictRetries?: number;
}

export interface Executed {
  readonly events: readonly AnyRecordedEvent[];
  readonly state: TaskState;
  readonly version: number;
}

/**
 * Read the task stream, decide, append at the exact version read. On a concurrent append the
 * command is decided again against the new state, so a lost race surfaces as the domain's refusal
 * (e.g. "already claimed") rather than as a duplicate.
 */
export async function executeTaskCommand(
  store: EventStore,
  taskId: string,
  command: TaskCommand,
  options: ExecuteOptions = {},
): Promise<Executed> {
  const stream = taskStream(taskId);
  const retries = options.conflictRetries ?? 5;
  for (let round = 0; ; round++) {
    const history = await store.readStream(stream);
    const state = foldTask(history);
    if (state.status === 'none' && command.type !== 'QueueTask') {
      throw new NotFoundError(`no task '${taskId}'`, { hint: 'see `jackin task list`' });
    }
    const events = decide(command, state);
    try {
      const result = await store.append(stream, events, {
        expectedVersion: history.length === 0 ? 'no_stream' : history.length,
        actor: options.actor,
        causationId: options.causationId,
      });
      return {
        events: result.events,
        state: foldTask([...history, ...result.events]),
        version: result.nextVersion,
      };
    } catch (error) {
      if (!(error instanceof VersionConflictError) || round >= retries) throw error;
    }
  }
}
