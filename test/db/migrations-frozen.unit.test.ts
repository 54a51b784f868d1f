import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Migrations are append-only. A log runs each migration once (user_version counts them), so editing one
 * that has shipped changes nothing in existing logs and leaves them on a schema the code no longer
 * expects: 0001 was once edited to replace `log_head` with `log_meta`, and every older log failed with
 * "no such table: log_meta" until 0004 repaired it. Each file's sha256 (LF line endings) is pinned here;
 * a new migration adds its line, an existing one never changes.
 */
const PINNED: Readonly<Record<string, string>> = {
  '0001-event-log.ts': 'da2fa7f012a524f5c6abe91889554b30a9f7be326969d7be7ace660d9880c359',
  '0002-github-etags.ts': '5a1999c63da6a67577c5592ec936a6744f9cdd8e540c5e9262b48f93564b2a57',
  '0003-log-identity.ts': 'd0b892ea5af446f28494a68825e57f038afd07e25890d086fcfe492f54560a58',
  '0004-log-meta-repair.ts': 'fea54b7c5f911f158263a2766ea1aaf6e3cce6fb1e12a6a696307527c339d07e',
};

const DIR = new URL('../../migrations/', import.meta.url);

function sha256(file: string): string {
  const text = readFileSync(new URL(file, DIR), 'utf8').replace(/\r\n/g, '\n');
  return createHash('sha256').update(text).digest('hex');
}

describe('migrations are append-only', () => {
  const files = readdirSync(DIR)
    .filter((f) => /^\d{4}-.+\.ts$/.test(f))
    .sort();

  it.each(Object.keys(PINNED))('%s is unchanged', (file) => {
    const number = file.slice(0, 4);
    expect(files, `migration ${number} is gone: migrations are append-only, never delete ${file}`).toContain(
      file,
    );
    expect(
      sha256(file),
      `migrations are append-only: add a new migration instead of editing ${number} (${file})`,
    ).toBe(PINNED[file]);
  });

  it('every migration file is pinned', () => {
    const unpinned = files.filter((f) => !(f in PINNED));
    expect(
      unpinned,
      `pin each new migration's sha256 in test/db/migrations-frozen.unit.test.ts once it is written: ${unpinned.join(', ')}`,
    ).toEqual([]);
  });
});
