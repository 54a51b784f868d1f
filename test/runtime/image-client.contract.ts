import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContainerRuntime } from '../../src/runtime/port.js';

/**
 * The ImageClient contract, run against the fake (unit tier) and Docker (docker tier), so the fake
 * the image logic is tested with behaves like the engine where it matters.
 */
export function imageClientContract(name: string, makeRuntime: () => ContainerRuntime): void {
  describe(`ImageClient contract: ${name}`, () => {
    it('inspect of a missing image is undefined and removing it is not an error', async () => {
      const runtime = makeRuntime();
      const missing = `jackin-contract/missing-${randomUUID().slice(0, 8)}:x`;
      expect(await runtime.images.inspect(missing)).toBeUndefined();
      await expect(runtime.images.remove(missing)).resolves.toBeUndefined();
    });

    it('imports a rootfs with LABEL changes, finds it by label, and removes it', async () => {
      const runtime = makeRuntime();
      const id = randomUUID().slice(0, 8);
      const dir = mkdtempSync(join(tmpdir(), 'jackin-contract-'));
      writeFileSync(join(dir, 'hello.txt'), 'hello\n');
      const tar = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'ignore'] });
      try {
        const imageId = await runtime.images.import({
          rootfs: tar.stdout,
          repository: 'jackin-contract/import',
          tag: id,
          changes: [`LABEL dev.jackin.contract="${id}"`],
        });
        const inspected = await runtime.images.inspect(`jackin-contract/import:${id}`);
        expect(inspected?.id).toBe(imageId);
        expect(inspected?.labels['dev.jackin.contract']).toBe(id);
        const listed = await runtime.images.list({ labels: { 'dev.jackin.contract': id } });
        expect(listed.map((i) => i.id)).toEqual([imageId]);
        expect(await runtime.images.list({ labels: { 'dev.jackin.contract': `${id}-other` } })).toEqual([]);
        await runtime.images.remove(`jackin-contract/import:${id}`);
        expect(await runtime.images.inspect(`jackin-contract/import:${id}`)).toBeUndefined();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
