import type { Command } from 'commander';
import type { SqliteConnection } from '../../db/open.js';
import { NotFoundError, UsageError } from '../../kernel/errors.js';
import { parseTimeBound } from '../../kernel/time.js';
import type { Projection } from '../../projections/projection.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { renderTable } from '../table.js';

/** Resolves `--until` to a global position: a number is a position, anything else a time. */
export function resolveUntil(db: SqliteConnection, until: string, now: Date): number {
  if (/^\d+$/.test(until.trim())) return Number(until);
  const time = parseTimeBound(until, now, '--until').toISOString();
  return (
    db
      .prepare('SELECT coalesce(max(global_position), 0) AS p FROM events WHERE recorded_at <= ?')
      .get(time) as { p: number }
  ).p;
}

function selectProjections(all: readonly Projection[], name: string | undefined): readonly Projection[] {
  if (name === undefined) return all;
  const found = all.filter((p) => p.name === name);
  if (found.length === 0) {
    throw new UsageError(`unknown projection '${name}'`, {
      hint: `projections: ${all.map((p) => p.name).join(', ')}`,
    });
  }
  return found;
}

export function registerEventsReplay(events: Command, context: CliContext): void {
  events
    .command('replay')
    .description('show the projections as they were at a point in the log (time travel for debugging)')
    .requiredOption(
      '--until <position|time>',
      'a global position, or a time (ISO or relative: 10m ago = 10m)',
    )
    .option('--projection <name>', 'only this projection')
    .option('--json', 'print {"replay":{...}}')
    .action(async (options: { until: string; projection?: string; json?: boolean }) => {
      const [app, { dumpProjection, replayToMemory }] = await Promise.all([
        context.app(),
        import('../../projections/projector.js'),
      ]);
      const { database, projector } = await app.eventLog();
      const which = selectProjections(projector.projections, options.projection);
      const position = resolveUntil(database.sqlite, options.until, app.clock.now());
      const head = await (await app.eventLog()).store.lastPosition();
      if (position > head) {
        throw new NotFoundError(`position ${position} is past the end of the log (#${head})`, {
          hint: `use a position from 0 to ${head}`,
        });
      }
      const memory = replayToMemory(database.sqlite, which, position);
      try {
        const state = Object.fromEntries(which.map((p) => [p.name, dumpProjection(memory, p)]));
        if (options.json) {
          writeJson(context.io.stdout, { replay: { position, projections: state } });
          return;
        }
        writeLine(context.io.stdout, `as of position #${position} (the past; live state may differ)`);
        for (const [name, tables] of Object.entries(state)) {
          for (const [table, rows] of Object.entries(tables)) {
            writeLine(context.io.stdout, `\n${name}: ${table} (${rows.length})`);
            const records = rows as Record<string, unknown>[];
            if (records.length === 0) continue;
            const headers = Object.keys(records[0]!);
            writeLine(
              context.io.stdout,
              renderTable(
                headers,
                records.map((r) => headers.map((h) => cellText(r[h]))),
              ),
            );
          }
        }
      } finally {
        memory.close();
      }
    });
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}
