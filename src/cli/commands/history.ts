import type { Command } from 'commander';
import type { EventType } from '../../events/catalog/index.js';
import type { SqliteEventStore } from '../../events/sqlite-store.js';
import type { ReadAllOptions } from '../../events/store.js';
import { NotFoundError, UsageError } from '../../kernel/errors.js';
import { parseTimeBound } from '../../kernel/time.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { parsePositiveInt } from '../options.js';

interface HistoryOptions {
  type: string[];
  since?: string;
  until?: string;
  limit?: string;
  follow?: boolean;
  json?: boolean;
}

const STREAM_PREFIXES = ['instance-', 'task-', 'workspace-', 'link-'];

/** Checks `--type` names against the event catalog (loaded here: it pulls every event schema). */
export async function parseEventTypes(types: readonly string[]): Promise<EventType[]> {
  if (types.length === 0) return [];
  const [{ catalog }, { isEventType }] = await Promise.all([
    import('../../events/catalog/index.js'),
    import('../../events/codec.js'),
  ]);
  const known = Object.keys(catalog);
  return types.map((type) => {
    if (isEventType(type)) return type;
    const near = known.filter((k) => k.toLowerCase().includes(type.toLowerCase().slice(0, 6))).slice(0, 3);
    throw new UsageError(`unknown event type '${type}'`, {
      hint: near.length ? `did you mean ${near.join(', ')}?` : 'see docs/events.md for the catalog',
    });
  });
}

/** Which streams a history target names: a stream id, or an instance/task/workspace id or name. */
async function resolveStreams(store: SqliteEventStore, target: string): Promise<string[]> {
  const { taskStoryStreams } = await import('../../engine/task/story.js');
  if (target.startsWith('task-') && (await store.streamVersion(target)) > 0) {
    return taskStoryStreams(store, store.db, target.slice('task-'.length));
  }
  if (STREAM_PREFIXES.some((p) => target.startsWith(p)) || target === 'config') return [target];
  const candidates = [`instance-${target}`, `task-${target}`, `workspace-${target}`];
  const found: string[] = [];
  for (const stream of candidates) {
    if ((await store.streamVersion(stream)) === 0) continue;
    // A task's story includes the instances it started and the links it touched.
    found.push(...(stream.startsWith('task-') ? await taskStoryStreams(store, store.db, target) : [stream]));
  }
  if (found.length > 0) return found;
  const byName = store.db
    .prepare('SELECT instance_id FROM instances WHERE name = ? OR instance_id LIKE ?')
    .all(target, `${target.replace(/[%_]/g, '')}%`) as { instance_id: string }[];
  return byName.map((row) => `instance-${row.instance_id}`);
}

export function registerHistory(program: Command, context: CliContext): void {
  program
    .command('history')
    .description('the audit trail: every event, newest last, one line each')
    .argument('[target]', 'an instance, task or workspace (id or name), or a stream id')
    .option(
      '--type <type>',
      'only this event type (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('--since <time>', 'from this time (ISO, or relative: 10m, 2h, 1d)')
    .option('--until <time>', 'up to this time (ISO, or relative)')
    .option('--limit <n>', 'only the newest N events')
    .option('-f, --follow', 'keep printing new events as they are appended')
    .option('--json', 'print {"events":[...]} (with --follow: one JSON event per line)')
    .action(async (target: string | undefined, options: HistoryOptions) => {
      // Listen before any work, so a Ctrl-C while the first page prints still ends cleanly.
      const stop = options.follow ? stopOnSignal() : undefined;
      const [app, { eventToJson, renderEventLine }] = await Promise.all([
        context.app(),
        import('../render/event-line.js'),
      ]);
      const now = app.clock.now();
      const types = await parseEventTypes(options.type);
      const since =
        options.since === undefined ? undefined : parseTimeBound(options.since, now, '--since').toISOString();
      const until =
        options.until === undefined ? undefined : parseTimeBound(options.until, now, '--until').toISOString();
      const limit = options.limit === undefined ? undefined : parsePositiveInt(options.limit, '--limit');
      const { store } = await app.eventLog();
      const streamIds = target === undefined ? undefined : await resolveStreams(store, target);
      if (streamIds?.length === 0) {
        throw new NotFoundError(`nothing in the log for '${target}'`, {
          hint: 'give an instance, task or workspace id or name, or a stream id (see `jackin history`)',
        });
      }
      const filter: ReadAllOptions = { types, streamIds, since, until, limit, tail: limit !== undefined };
      const events = await store.readAll(filter);
      const { stdout } = context.io;
      if (options.json && !options.follow) {
        writeJson(stdout, { events: events.map(eventToJson) });
        return;
      }
      const print = (list: typeof events): void => {
        for (const event of list) {
          if (options.json) stdout.write(`${JSON.stringify(eventToJson(event))}\n`);
          else writeLine(stdout, renderEventLine(event));
        }
      };
      print(events);
      if (!stop) return;
      let after = events.at(-1)?.globalPosition ?? (await store.lastPosition());
      try {
        await followUntil(stop.signal, async () => {
          const fresh = await store.readAll({ ...filter, after, limit: undefined, tail: false });
          print(fresh);
          after = fresh.at(-1)?.globalPosition ?? after;
        });
      } finally {
        stop.dispose();
      }
    });
}

/** An abort signal fired by SIGINT or SIGTERM; dispose() removes the listeners. */
export function stopOnSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Polls until the signal fires; the log is shared by processes, so polling by position is the protocol. */
export async function followUntil(
  signal: AbortSignal,
  poll: () => Promise<void>,
  intervalMs = 150,
): Promise<void> {
  while (!signal.aborted) {
    await poll();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Polls until SIGINT/SIGTERM (for long-running commands that start following at once). */
export async function followUntilSignal(poll: () => Promise<void>, intervalMs = 150): Promise<void> {
  const stop = stopOnSignal();
  try {
    await followUntil(stop.signal, poll, intervalMs);
  } finally {
    stop.dispose();
  }
}
