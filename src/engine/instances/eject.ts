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
import { instanceFilter, removeInstanceObjects } from './teardown.js';
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
 */
export async function ejectInstance(
  deps: InstanceDeps,
  row: InstanceRow,
  purge: boolean,
): Promise<EjectResult> {
  const [writer, facts] = await Promise.all([
    InstanceWriter.open(deps.store, row.instance_id),
    instanceFacts(deps, row),
  ]);
  await writer.append({
    type: 'InstanceEjectRequested',
    data: { instanceId: row.instance_id, purge, owner: deps.owner },
  });
  try {
    const removed = await removeInstanceObjects(deps.runtime, row.instance_id, logId(deps.db));
    const kept: string[] = [];
    const released: string[] = [];
    for (const checkout of facts.checkouts) {
      if (purge) {
        await removeCheckout(checkout, deps.env);
        released.push(checkout.path);
        continue;
      }
      const result = await releaseCheckout(checkout, deps.env);
      (result.kept ? kept : released).push(result.line);
    }
    await writer.append({
      type: 'InstanceEjected',
      data: { instanceId: row.instance_id, kept, removed: released },
    });
    if (purge) await purgeState(deps, writer, row, facts);
    return { id: row.instance_id, name: row.name, removed: removed.map((o) => o.name), kept, purged: purge };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await writer
      .append({ type: 'InstanceEjectFailed', data: { instanceId: row.instance_id, reason } })
      .catch(() => undefined);
    throw error;
  }
}

async function purgeState(
  deps: InstanceDeps,
  writer: InstanceWriter,
  row: InstanceRow,
  facts: InstanceFacts,
): Promise<string[]> {
  const removed: string[] = [];
  for (const checkout of facts.checkouts) {
    await removeCheckout(checkout, deps.env);
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
