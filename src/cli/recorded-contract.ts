import type { App } from '../app/app.js';
import { instanceStream, latest } from '../engine/instances/instance-stream.js';
import { selectInstances } from '../engine/instances/select.js';

/** The session contract recorded in an instance's InstanceLaunchRequested (`explain --instance`). */
export async function recordedContract(app: App, selector: string): Promise<Record<string, unknown>> {
  const log = await app.eventLog();
  const [row] = selectInstances(log.database.sqlite, selector, { verb: 'explain' });
  const events = row ? await log.store.readStream(instanceStream(row.instance_id)) : [];
  const launch = latest(events, 'InstanceLaunchRequested');
  return {
    ...(launch?.contract ?? {}),
    instance: { id: row?.instance_id, name: row?.name, state: row?.state },
  };
}
