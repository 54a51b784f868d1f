import { beforeAll } from 'vitest';
import { requireDocker } from './docker.js';

// Loaded for every file of the docker tier (vitest.config.ts): no engine means a failed file, not a skip.
beforeAll(() => {
  requireDocker();
});
