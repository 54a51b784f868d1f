import { logId } from '../../db/log-id.js';
import type { SqliteConnection } from '../../db/open.js';
import { listInstances } from '../../projections/instances.js';
import { listPrewarms } from '../../projections/prewarms.js';
import { LABEL, homeScope } from '../../runtime/labels.js';
import type { Labels } from '../../runtime/port.js';

/**
 * Which of the engine's jackin-labelled objects belong to this jackin home (ADR 0023). Docker is
 * shared by every home on the host (other users, test suites, CI), so anything that discovers
 * objects engine-wide by `dev.jackin.*` labels (the reconciler, prune, doctor) narrows them here:
 *
 * - labelled `dev.jackin.home=<this log's id>`: ours;
 * - labelled with another home: never touched, only counted (`doctor`);
 * - no home label (made by a jackin before home labels): ours only when its instance or prewarm id
 *   is recorded in this log; otherwise left alone and counted like another home's.
 */
export interface HomeObjects<T> {
  /** This home's objects: acted on. */
  readonly mine: T[];
  /** Labelled with another home. */
  readonly otherHomes: T[];
  /** No home label and an instance id this log does not know. */
  readonly unclaimed: T[];
}

export interface HomeView {
  readonly home: string;
  /** Instance and prewarm ids this log has recorded. */
  readonly known: ReadonlySet<string>;
}

/** This home's log id and every instance or prewarm id its log knows. */
export function homeView(db: SqliteConnection): HomeView {
  const known = new Set<string>();
  for (const row of listInstances(db)) known.add(row.instance_id);
  for (const row of listPrewarms(db)) known.add(row.prewarm_id);
  return { home: logId(db), known };
}

/** Splits instance/prewarm objects by home; objects without an instance label are not sorted. */
export function splitByHome<T extends { readonly labels: Labels }>(
  objects: readonly T[],
  view: HomeView,
): HomeObjects<T> {
  const mine: T[] = [];
  const otherHomes: T[] = [];
  const unclaimed: T[] = [];
  for (const o of objects) {
    const id = o.labels[LABEL.instance];
    if (id === undefined) continue;
    const scope = homeScope(o.labels, view.home);
    if (scope === 'own') mine.push(o);
    else if (scope === 'foreign') otherHomes.push(o);
    else if (view.known.has(id)) mine.push(o);
    else unclaimed.push(o);
  }
  return { mine, otherHomes, unclaimed };
}

/** Only this home's objects (see splitByHome). */
export function ofThisHome<T extends { readonly labels: Labels }>(
  objects: readonly T[],
  view: HomeView,
): T[] {
  return splitByHome(objects, view).mine;
}
