import type { Command } from 'commander';
import { JackinError } from '../../kernel/errors.js';
import { RESULT_PRINTED } from '../errors.js';
import type { CliContext } from '../context.js';
import { useColor, writeJson, writeLine } from '../io.js';

/**
 * `jackin doctor [--json]`: one row per check. Exit 0 when nothing failed (warnings included), 1 when
 * any check failed — Docker being unreachable too, since doctor itself ran fine (docs/adr).
 */
export function registerDoctor(program: Command, context: CliContext): void {
  program
    .command('doctor')
    .description(
      'check Docker, images, DinD mode, the state and config dirs, disk space, the event log and the clock',
    )
    .option('--json', 'print {"doctor":{"ok","checks":[{"name","status","detail"}]}}')
    .action(async (options: { json?: boolean }) => {
      const [app, { createDoctorDeps }, { runDoctor }, { renderDoctorTable }] = await Promise.all([
        context.app(),
        import('../../app/doctor-deps.js'),
        import('../../engine/doctor/doctor.js'),
        import('../render/doctor-table.js'),
      ]);
      const report = await runDoctor(createDoctorDeps(app));
      app.logger.info({ doctor: report.checks }, 'doctor finished');
      if (options.json) {
        writeJson(context.io.stdout, { doctor: { ok: report.ok, checks: report.checks } });
      } else {
        writeLine(context.io.stdout, renderDoctorTable(report.checks, useColor(context.io)));
      }
      const failed = report.checks.filter((check) => check.status === 'fail');
      if (failed.length > 0) {
        throw new JackinError(
          'operation_failed',
          `${failed.length} doctor check${failed.length === 1 ? '' : 's'} failed: ${failed.map((c) => c.name).join(', ')}`,
          {
            hint: report.dockerReachable
              ? 'see the detail column above'
              : 'start the Docker engine (`scripts/setup` can install and start one) and check `docker info`',
            details: { [RESULT_PRINTED]: true },
          },
        );
      }
    });
}
