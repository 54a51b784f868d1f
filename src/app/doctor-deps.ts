import { statfs } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { dockerCli } from '../engine/doctor/docker-cli.js';
import type { DoctorDeps } from '../engine/doctor/doctor.js';
import { inspectEventLog } from '../engine/doctor/log-check.js';
import { surveyInstances } from '../engine/instances/reconcile.js';
import { watcherRunning } from '../engine/instances/status-watch.js';
import { listTasks } from '../projections/tasks.js';
import { listJackinImages } from '../images/inventory.js';
import { createDockerRuntime } from '../runtime/docker/index.js';
import type { ContainerRuntime } from '../runtime/port.js';
import { privilegedSupport } from '../runtime/privileged.js';
import type { App } from './app.js';
import { ownerAlive } from './owner-alive.js';
import { probeImage } from './probe-image.js';

export { probeImage };

/** The real adapters behind `jackin doctor`. */
export function createDoctorDeps(app: App): DoctorDeps {
  let runtime: ContainerRuntime | undefined;
  const getRuntime = (): ContainerRuntime => (runtime ??= createDockerRuntime(app.env));
  return {
    stateDir: app.paths.home,
    configDir: app.paths.configDir,
    clock: app.clock,
    engineInfo: () => getRuntime().engine.info(),
    dockerCli: dockerCli(app.env),
    inspectLog: async () => {
      const log = await app.eventLog();
      return inspectEventLog(log.database.sqlite, log.projector.projections);
    },
    dindMode: async () => {
      const image = await probeImage(getRuntime());
      return image
        ? privilegedSupport(getRuntime(), { probeImage: image, cacheDir: app.paths.engineCache })
        : undefined;
    },
    images: async () =>
      (await listJackinImages(getRuntime())).flatMap((image) =>
        image.tags[0] ? [{ image: image.image, tag: image.tags[0] }] : [],
      ),
    reconcile: async () => {
      const log = await app.eventLog();
      const db = log.database.sqlite;
      return surveyInstances(
        { db, store: log.store, runtime: getRuntime(), ownerAlive },
        {
          // Task attempts run headless: no session, so no watcher to expect.
          headless: new Set(
            listTasks(db, { states: ['running'] }).flatMap((t) => (t.instance_id ? [t.instance_id] : [])),
          ),
          watcherRunning:
            app.env.JACKIN_STATUS_WATCH === '0'
              ? undefined
              : (row) =>
                  watcherRunning(join(app.paths.data, row.name), (pid) =>
                    ownerAlive({ host: hostname(), pid }),
                  ),
        },
      );
    },
    freeBytes: async (path) => {
      const fs = await statfs(path);
      return fs.bavail * fs.bsize;
    },
  };
}
