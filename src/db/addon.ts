import { createRequire } from 'node:module';

let found: string | null | undefined;

/**
 * better-sqlite3's compiled addon where its build puts it, passed as `nativeBinding`: without it,
 * each first connection loads the `bindings` package, which walks the call stack and probes a dozen
 * paths (~1.2 ms of every command). No option when the file is elsewhere (a prebuilt layout):
 * better-sqlite3 then finds it itself, as before.
 */
export function sqliteAddon(): { nativeBinding?: string } {
  if (found === undefined) {
    try {
      found = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
    } catch {
      found = null;
    }
  }
  return found === null ? {} : { nativeBinding: found };
}
