import type { SqliteConnection } from '../../db/open.js';
import { verifyChain } from '../../events/integrity.js';
import type { ChainProblem } from '../../events/integrity.js';
import type { Projection } from '../../projections/projection.js';
import { diffProjections } from '../../projections/verify.js';
import type { DoctorCheck } from './check.js';

export interface LogInspection {
  readonly events: number;
  readonly firstProblem: ChainProblem | undefined;
  /** Projections whose stored tables differ from a rebuild (only computed when the chain is intact). */
  readonly drifted: readonly string[];
  /** recorded_at of the newest event, if any. */
  readonly latestRecordedAt: Date | undefined;
}

/** The same checks as `jackin events verify`: hash chain, then stored projections against a rebuild. */
export function inspectEventLog(sqlite: SqliteConnection, projections: readonly Projection[]): LogInspection {
  const chain = verifyChain(sqlite);
  const drifted = chain.firstProblem ? [] : diffProjections(sqlite, projections);
  const row = sqlite.prepare('SELECT max(recorded_at) AS latest FROM events').get() as
    { latest: string | null } | undefined;
  const latest = row?.latest ? new Date(row.latest) : undefined;
  return {
    events: chain.events,
    firstProblem: chain.firstProblem,
    drifted,
    latestRecordedAt: latest && !Number.isNaN(latest.getTime()) ? latest : undefined,
  };
}

/** Log integrity: the hash chain is intact and every projection equals a fresh rebuild. */
export function logIntegrityCheck(inspect: () => Promise<LogInspection>): DoctorCheck {
  return {
    name: 'event log',
    async run() {
      const log = await inspect();
      if (log.firstProblem) {
        return {
          status: 'fail',
          detail: `broken at position ${log.firstProblem.position}: ${log.firstProblem.problem}`,
        };
      }
      if (log.drifted.length > 0) {
        return {
          status: 'fail',
          detail: `projections differ from a rebuild: ${log.drifted.join(', ')} (run \`jackin events rebuild\`)`,
        };
      }
      return { status: 'ok', detail: `${log.events} events, hash chain intact, projections match a rebuild` };
    },
  };
}
