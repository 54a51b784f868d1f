import { hostname } from 'node:os';
import { openDatabase } from '../db/open.js';
import type { OpenedDatabase } from '../db/open.js';
import type { AppendContext } from '../events/context.js';
import type { Actor } from '../events/envelope.js';
import { SqliteEventStore } from '../events/sqlite-store.js';
import { randomIds, systemClock } from '../kernel/clock.js';
import type { Clock, IdGenerator } from '../kernel/clock.js';
import { resolvePaths } from '../kernel/paths.js';
import type { JackinPaths } from '../kernel/paths.js';
import { readJackinVersion } from '../kernel/version.js';
import { createLogger } from '../logging/logger.js';
import type { Logger } from '../logging/logger.js';
import { Projector } from '../projections/projector.js';
import { projections } from '../projections/registry.js';

export interface EventLog {
  readonly database: OpenedDatabase;
  readonly store: SqliteEventStore;
  readonly projector: Projector;
}

/** The composition root: real adapters, built once per process, opened lazily. */
export interface App {
  readonly paths: JackinPaths;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly context: AppendContext;
  readonly debug: boolean;
  /** Opens the event log (migrating and catching projections up) on first use. */
  eventLog(): Promise<EventLog>;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly actor?: Actor;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
}

export function createApp(options: CreateAppOptions): App {
  const env = options.env;
  const paths = resolvePaths(env);
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const debug = env.JACKIN_DEBUG === '1' || env.JACKIN_DEBUG === 'true';
  let logger: Logger | undefined;
  const context: AppendContext = {
    correlationId: ids.uuid(),
    actor: options.actor ?? 'operator',
    host: hostname(),
    jackinVersion: readJackinVersion(),
    clock,
    ids,
  };
  let opened: Promise<EventLog> | undefined;
  const app: App = {
    paths,
    env,
    clock,
    ids,
    debug,
    context,
    get logger() {
      logger ??= createLogger({ logDir: paths.logs, debug }).child({ correlation_id: context.correlationId });
      return logger;
    },
    eventLog() {
      opened ??= (async () => {
        const database = await openDatabase({ path: paths.database });
        const projector = new Projector(database.sqlite, projections);
        projector.start();
        return { database, projector, store: new SqliteEventStore(database.sqlite, context, projector) };
      })();
      return opened;
    },
    async close() {
      if (opened) {
        const log = await opened.catch(() => undefined);
        await log?.database.close();
      }
      logger?.flush();
    },
  };
  return app;
}
