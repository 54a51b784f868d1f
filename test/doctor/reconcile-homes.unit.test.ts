import { describe, expect, it } from 'vitest';
import { reconcilerCheck } from '../../src/engine/doctor/reconcile-check.js';
import type { ReconcileFindings } from '../../src/engine/doctor/reconcile-check.js';

const reachable = (): Promise<boolean> => Promise.resolve(true);
const clean: ReconcileFindings = { gone: [], stopped: [], interrupted: [], orphans: 0 };

async function row(found: ReconcileFindings): Promise<{ status: string; detail: string }> {
  const result = await reconcilerCheck(reachable, () => Promise.resolve(found)).run();
  return { status: result.status, detail: result.detail };
}

describe('doctor reconciler row: other homes on the same engine (ADR 0023)', () => {
  it('counts other homes’ objects and unclaimed unlabelled ones as information, not a warning', async () => {
    expect(await row({ ...clean, otherHomes: 4, unclaimed: 1 })).toEqual({
      status: 'ok',
      detail:
        'log and Docker agree; left alone: 4 objects of other jackin homes on this engine, ' +
        "1 unlabelled object of instances this log does not know (an older jackin's or another home's)",
    });
  });

  it('says nothing about other homes when there are none', async () => {
    expect(await row({ ...clean, otherHomes: 0, unclaimed: 0 })).toEqual({
      status: 'ok',
      detail: 'log and Docker agree',
    });
  });

  it('keeps the note next to what this home would reconcile', async () => {
    expect(await row({ ...clean, orphans: 2, otherHomes: 1 })).toEqual({
      status: 'warn',
      detail:
        'would reconcile: 2 orphaned objects (run `jackin prune instances`); ' +
        'left alone: 1 object of other jackin homes on this engine',
    });
  });
});
