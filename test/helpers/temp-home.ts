import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app/app.js';
import type { App } from '../../src/app/app.js';
import type { Clock, IdGenerator } from '../../src/kernel/clock.js';

export interface TempHome {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  cleanup(): void;
}

/** A throwaway JACKIN_HOME and JACKIN_CONFIG_DIR. */
export function tempHome(prefix = 'jackin-test-'): TempHome {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env = {
    ...process.env,
    JACKIN_HOME: join(dir, 'home'),
    JACKIN_CONFIG_DIR: join(dir, 'config'),
    JACKIN_DEBUG: '',
    NO_COLOR: '1',
  };
  return { dir, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock that advances one second per call, from a fixed start. */
export function steppingClock(start = Date.parse('2026-11-01T00:00:00.000Z'), stepMs = 1000): Clock {
  let t = start;
  return {
    now: () => {
      const d = new Date(t);
      t += stepMs;
      return d;
    },
  };
}

export function sequentialIds(prefix = 'id'): IdGenerator {
  let n = 0;
  return { uuid: () => `${prefix}-${String(++n).padStart(6, '0')}` };
}

export function testApp(home: TempHome, options: { clock?: Clock; ids?: IdGenerator } = {}): App {
  return createApp({ env: home.env, ...options });
}
