import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { logId } from '../../db/log-id.js';
import { isLive } from '../../domain/instance-state.js';
import { JackinError } from '../../kernel/errors.js';
import type { InstanceRow } from '../../projections/instances.js';
import { listInstances } from '../../projections/instances.js';
import type { InstanceDeps } from './deps.js';
import { InstanceWriter, instanceStream, latest } from './instance-stream.js';
import { releaseCheckout, removeCheckout } from './isolation.js';
import type { CheckoutRecord } from './isolation.js';
import { instanceFilter, listInstanceObjects, removeInstanceObjectsListed } from './teardown.js';
import { checkoutsOf } from './workspace.js';

export interface EjectResult {
  readonly id: string;
  readonly name: string;
  readonly removed: readonly string[];
  /** Isolated checkouts kept (uncommitted or unpushed work), with why. */
  readonly kept: readonly string[];
  readonly purged: boolean;
}

interface InstanceFacts {
  readonly stateDir: string;
  readonly checkouts: CheckoutRecord[];
}

/** Where an instance keeps its state and which isolated checkouts it made, from its stream. */
export async function instanceFacts(deps: InstanceDeps, row: InstanceRow): Promise<InstanceFacts> {
  const events = await deps.store.readStream(instanceStream(row.instance_id));
  const stateDir = latest(events, 'InstanceLaunchRequested')?.stateDir ?? join(deps.paths.data, row.name);
  const mounts = events.flatMap((e) => (e.type === 'InstanceWorkspaceMaterialized' ? e.data.mounts : []));
  return { stateDir, checkouts: checkoutsOf(mounts, stateDir) };
}

/**
 * Removes the instance's containers, sidecar, certs volume and network (by label), then its
 * isolated checkouts when nothing in them is unsaved; `purge` also deletes its state directory
 * and every checkout. Intent first, outcome after; a failure records InstanceEjectFailed.
 *
 * Only reads run before the intent is recorded: the object listing starts at once, with the stream
 * version and facts, and the removals wait for the intent. The checkouts are released as soon as
 * the containers are gone (nothing writes to them any more), while the engine removes the volume
 * and the network; the outcome is recorded when both are done. Containers are force-removed, with no
 * graceful stop (ADR 0026).
 */
export async function ejectInstance(
  deps: InstanceDeps,
  row: InstanceRow,
  purge: boolean,
): Promise<EjectResult> {
  const listing = listInstanceObjects(deps.runtime, row.instance_id, logId(deps.db));
  // Awaited after the intent; a rejection before then is not left unhandled.
  listing.catch(() => undefined);
  const [writer, facts] = await Promise.all([
    InstanceWriter.open(deps.store, row.instance_id),
    instanceFacts(deps, row),
  ]);
  await writer.append({
    type: 'InstanceEjectRequested',
    data: { instanceId: row.instance_id, purge, owner: deps.owner },
  });
  let released: Released | undefined;
  try {
    const removed = await removeInstanceObjectsListed(deps.runtime, await listing, async () => {
      released = await releaseCheckouts(facts.checkouts, purge, deps.env);
    });
    const { kept, removed: checkouts } = released ?? { kept: [], removed: [] };
    await writer.append({
      type: 'InstanceEjected',
      data: { instanceId: row.instance_id, kept, removed: checkouts },
    });
    if (purge) await purgeState(deps, writer, row, facts, true);
    return { id: row.instance_id, name: row.name, removed: removed.map((o) => o.name), kept, purged: purge };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A volume or network removal can fail after the checkouts were released beside it: say so.
    const meanwhile = released
      ? [
          ...(released.removed.length > 0 ? [`checkouts removed: ${released.removed.join(', ')}`] : []),
          ...(released.kept.length > 0 ? [`checkouts kept: ${released.kept.join(', ')}`] : []),
        ]
      : [];
    const reason = [message, ...meanwhile].join('; ');
    await writer
      .append({ type: 'InstanceEjectFailed', data: { instanceId: row.instance_id, reason } })
      .catch(() => undefined);
    throw error;
  }
}

interface Released {
  /** Checkouts kept (uncommitted or unpushed work), with why. */
  readonly kept: string[];
  readonly removed: string[];
}

/**
 * Releases the isolated checkouts (removes the clean ones; `purge`: removes all). One repository's
 * checkouts go one after another (git locks its refs and worktree list, and removeCheckout ignores
 * git failures), different repositories' in parallel. Lines keep the recorded order.
 */
async function releaseCheckouts(
  checkouts: readonly CheckoutRecord[],
  purge: boolean,
  env: NodeJS.ProcessEnv,
): Promise<Released> {
  const results: { kept: boolean; line: string }[] = [];
  const byRepo = new Map<string, number[]>();
  checkouts.forEach((c, i) => byRepo.set(c.repo, [...(byRepo.get(c.repo) ?? []), i]));
  const release = async (checkout: CheckoutRecord): Promise<{ kept: boolean; line: string }> => {
    if (!purge) return releaseCheckout(checkout, env);
    await removeCheckout(checkout, env);
    return { kept: false, line: checkout.path };
  };
  const settled = await Promise.allSettled(
    [...byRepo.values()].map(async (indexes) => {
      for (const i of indexes) {
        const checkout = checkouts[i];
        if (checkout) results[i] = await release(checkout);
      }
    }),
  );
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const done = results.filter((r) => r !== undefined);
  return {
    kept: done.filter((r) => r.kept).map((r) => r.line),
    removed: done.filter((r) => !r.kept).map((r) => r.line),
  };
}

async function purgeState(
  deps: InstanceDeps,
  writer: InstanceWriter,
  row: InstanceRow,
  facts: InstanceFacts,
  /** The eject before it removed every checkout already: they are recorded, not removed again. */
  checkoutsRemoved = false,
): Promise<string[]> {
  const removed: string[] = [];
  for (const checkout of facts.checkouts) {
    if (!checkoutsRemoved) await removeCheckout(checkout, deps.env);
    removed.push(checkout.path);
  }
  if (existsSync(facts.stateDir)) {
    rmSync(facts.stateDir, { recursive: true, force: true });
    removed.push(facts.stateDir);
  }
  await writer.append({ type: 'InstancePurged', data: { instanceId: row.instance_id, removed } });
  return removed;
}

/** `jackin purge`: deletes persisted state; refuses while any of the instance's containers exists. */
export async function purgeInstance(deps: InstanceDeps, row: InstanceRow): Promise<string[]> {
  const containers = await deps.runtime.containers.list({
    labels: instanceFilter(row.instance_id),
    all: true,
  });
  if (containers.length > 0) {
    throw new JackinError(
      'instance_busy',
      `${row.name} still has containers (${containers.map((c) => c.name).join(', ')})`,
      {
        hint: `run \`jackin eject --purge ${row.instance_id}\` to remove its containers and state together`,
      },
    );
  }
  const writer = await InstanceWriter.open(deps.store, row.instance_id);
  return purgeState(deps, writer, row, await instanceFacts(deps, row));
}

/** `jackin exile`: ejects every instance that still owns Docker objects, a few at a time. */
export async function exileAll(
  deps: InstanceDeps,
): Promise<{ ejected: EjectResult[]; failed: { name: string; reason: string }[] }> {
  const rows = listInstances(deps.db).filter((row) => isLive(row.state));
  const ejected: EjectResult[] = [];
  const failed: { name: string; reason: string }[] = [];
  const queue = [...rows];
  const worker = async (): Promise<void> => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      try {
        ejected.push(await ejectInstance(deps, row, false));
      } catch (error) {
        failed.push({ name: row.name, reason: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return { ejected, failed };
}
