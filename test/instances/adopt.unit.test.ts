import { describe, expect, it } from 'vitest';
import { fitsCheaply, stillFits } from '../../src/engine/instances/adopt.js';
import type { PrewarmPick } from '../../src/engine/instances/adopt.js';
import type { PrewarmRow } from '../../src/projections/prewarms.js';

const RUNS = 'sha256:aaaa';
const pick = {
  row: { prewarm_id: 'pw1', mode: 'equivalent' } as PrewarmRow,
  containerId: 'c1',
  networkId: 'n1',
  imageId: RUNS,
  update: undefined,
} satisfies PrewarmPick;

describe('whether a prewarmed sidecar fits (ADR 0025)', () => {
  it('cheaply, before the claim: the configured DinD tag points at the image it runs, in the same mode', () => {
    expect(fitsCheaply(pick, { id: RUNS, mode: 'equivalent' })).toBe(true);
    // The tag was rebuilt since the prewarm, or points elsewhere (another DinD source).
    expect(fitsCheaply(pick, { id: 'sha256:bbbb', mode: 'equivalent' })).toBe(false);
    // The tag is gone: a cold launch would build it anew, so it cannot be the one the sidecar runs.
    expect(fitsCheaply(pick, { id: undefined, mode: 'equivalent' })).toBe(false);
    // The engine now runs sidecars another way (or the mode could not be told: "unknown").
    expect(fitsCheaply(pick, { id: RUNS, mode: 'privileged' })).toBe(false);
    expect(fitsCheaply(pick, { id: RUNS, mode: 'unknown' })).toBe(false);
  });

  it("after the launch's image check: the DinD image and mode it settled on", () => {
    expect(stillFits(pick, { id: RUNS, mode: 'equivalent' })).toBe(true);
    expect(stillFits(pick, { id: 'sha256:rebuilt', mode: 'equivalent' })).toBe(false);
    expect(stillFits(pick, { id: RUNS, mode: 'privileged' })).toBe(false);
  });
});
