import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerEventsExport } from './events-export.js';
import { registerEventsImport } from './events-import.js';
import { registerEventsRebuild } from './events-rebuild.js';
import { registerEventsReplay } from './events-replay.js';
import { registerEventsVerify } from './events-verify.js';

/** `jackin events …`: the log itself (replay, rebuild, verify, export, import). */
export function registerEvents(program: Command, context: CliContext): void {
  const events = program.command('events').description('inspect and maintain the event log');
  registerEventsReplay(events, context);
  registerEventsRebuild(events, context);
  registerEventsVerify(events, context);
  registerEventsExport(events, context);
  registerEventsImport(events, context);
}
