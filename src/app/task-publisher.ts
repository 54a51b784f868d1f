import { homedir } from 'node:os';
import { ConfigStore } from '../config/config-store.js';
import { publishTask } from '../engine/task/publish.js';
import type { PublishInput, PublishReport } from '../engine/task/publish.js';
import { rolePushes } from '../engine/task/role-policy.js';
import { hostRepositoryOf, resolveTaskWorkspace } from '../engine/task/task-target.js';
import type { Actor } from '../events/envelope.js';
import type { EventStore } from '../events/store.js';
import type { GithubClient } from '../github/client.js';
import type { App } from './app.js';

/** Publishes a succeeded task (push, draft PR) when its role allows it; see src/engine/task/publish.ts. */
export type TaskPublisher = (input: PublishInput, actor: Actor) => Promise<PublishReport>;

/** The worker's publisher: role policy from the manifest, the workspace's repository, GitHub on demand. */
export function createTaskPublisher(app: App, store: EventStore): TaskPublisher {
  const config = new ConfigStore(app.paths.configDir);
  const context = { cwd: process.cwd(), home: app.env.HOME ?? homedir() };
  let github: Promise<GithubClient> | undefined;
  return (input, actor) =>
    publishTask(
      {
        store,
        env: app.env,
        actor,
        rolePushes: async (role) =>
          rolePushes(role, {
            config: (await config.loadConfig()).value,
            rolesDir: app.paths.roles,
            env: app.env,
            ...context,
          }),
        resolveRepository: async (workspace) =>
          hostRepositoryOf(await resolveTaskWorkspace(config, workspace, context)),
        // octokit loads only when a pull request is opened.
        github: () =>
          (github ??= import('./github.js').then(async (m) => (await m.createGithub(app)).client)),
      },
      input,
    );
}
