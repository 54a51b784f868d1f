import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { renderTable } from '../table.js';

export function registerImagesList(images: Command, context: CliContext): void {
  images
    .command('list')
    .description('list jackin images (by label): base, construct, DinD, derived role images')
    .option('--json', 'print {"images":[...]}')
    .action(async (flags: { json?: boolean }) => {
      const [app, { containerRuntime }, { listJackinImages }] = await Promise.all([
        context.app(),
        import('../../app/images.js'),
        import('../../images/inventory.js'),
      ]);
      const rows = await listJackinImages(containerRuntime(app));
      if (flags.json) {
        writeJson(context.io.stdout, {
          images: rows.map((r) => ({
            id: r.id,
            tags: r.tags,
            image: r.image,
            role: r.role ?? null,
            recipe_hash: r.recipeHash ?? null,
            size_bytes: r.sizeBytes,
            created_at: r.createdAt,
            containers: r.containers,
          })),
        });
        return;
      }
      if (rows.length === 0) {
        writeLine(context.io.stdout, 'no jackin images yet; run `jackin images build`');
        return;
      }
      const table = renderTable(
        ['IMAGE', 'TAG', 'ROLE', 'RECIPE', 'SIZE', 'CONTAINERS'],
        rows.map((r) => [
          r.image,
          r.tags[0] ?? '<none>',
          r.role ?? '-',
          (r.recipeHash ?? '').slice(0, 12) || '-',
          `${Math.round(r.sizeBytes / 1_000_000)} MB`,
          String(r.containers),
        ]),
      );
      writeLine(context.io.stdout, table);
    });
}
