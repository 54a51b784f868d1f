import { execFileSync, spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';
import { tempHome } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

let home: TempHome;
beforeEach(() => {
  home = tempHome('jackin-images-e2e-');
});
afterEach(() => {
  home.cleanup();
});

interface BuildJson {
  images: { image: string; tag: string; id: string; cache: string; path: string; recipe_hash: string }[];
  dind_mode: { mode: string; reason: string; missing_capabilities?: string[] };
}

describe('jackin images (built CLI)', () => {
  it(
    'build --json reports every image, the path it took and the DinD mode; list --json matches Docker',
    { timeout: 900_000 },
    () => {
      // A cold engine builds everything (minutes), longer than runCli's timeout.
      const build = spawnSync(process.execPath, [BIN, 'images', 'build', 'agent-smith', '--json'], {
        env: home.env,
        encoding: 'utf8',
        timeout: 900_000,
      });
      expect(build.status, build.stderr).toBe(0);
      const result = JSON.parse(build.stdout) as BuildJson;
      expect(result.images.map((i) => i.image)).toEqual(['base', 'construct', 'dind', 'derived']);
      for (const image of result.images) {
        const id = execFileSync('docker', ['image', 'inspect', image.tag, '--format', '{{.Id}}'], {
          encoding: 'utf8',
        }).trim();
        expect(id).toBe(image.id);
      }
      expect(['privileged', 'equivalent']).toContain(result.dind_mode.mode);

      // A second build is all reuse: no build step anywhere.
      const again = JSON.parse(
        runCli(['images', 'build', 'agent-smith', '--json'], home.env).stdout,
      ) as BuildJson;
      expect(again.images.filter((i) => i.image !== 'base').map((i) => i.cache)).toEqual([
        'hit',
        'hit',
        'hit',
      ]);

      const list = runCli(['images', 'list', '--json'], home.env);
      expect(list.code).toBe(0);
      const listed = (
        JSON.parse(list.stdout) as { images: { tags: string[]; image: string; recipe_hash: string }[] }
      ).images;
      const derived = result.images.find((i) => i.image === 'derived')!;
      expect(listed.find((i) => i.tags.includes(derived.tag))).toMatchObject({
        image: 'derived',
        recipe_hash: derived.recipe_hash,
      });

      // The history shows the reuse decision.
      const history = runCli(['history', '--json'], home.env);
      expect(history.stdout).toContain('ImageBuilt');
    },
  );
});
