import type { App } from '../../src/app/app.js';
import type { NewEvent } from '../../src/events/envelope.js';
import { launchRequested, lifecycleStep, seededRandom } from './instance-events.js';

/** Appends a reproducible mixed history of `instances` lifecycles, interleaved. Returns events written. */
export async function seedMixedHistory(
  app: App,
  options: { instances: number; seed: number },
): Promise<NewEvent[]> {
  const { store } = await app.eventLog();
  const random = seededRandom(options.seed);
  const steps = new Map<string, number>();
  const written: NewEvent[] = [];
  for (let i = 0; i < options.instances; i++) {
    const id = `i${i}`;
    await store.append(`instance-${id}`, [launchRequested(id, { workspace: i % 2 ? 'alpha' : 'beta' })], {
      expectedVersion: 'no_stream',
    });
    steps.set(id, 0);
    // Interleave: advance a few random earlier instances each round.
    for (let k = 0; k < 3; k++) {
      const pick = `i${Math.floor(random() * (i + 1))}`;
      const step = steps.get(pick)!;
      if (step >= 8) continue;
      const event = lifecycleStep(pick, step, random);
      await store.append(`instance-${pick}`, [event], { expectedVersion: 'stream_exists' });
      written.push(event);
      steps.set(pick, step + 1);
    }
  }
  return written;
}
