import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JackinError } from '../kernel/errors.js';
import { CONSTRUCT_BUILD_ARG } from './dockerfile.js';
import { MANIFEST_FILE, MANIFEST_VERSION } from './manifest-schema.js';

export const CONSTRUCT_DEFAULT_TAG = 'jackin/construct:0.1';

/** Where `jackin role create NAME` puts a role when no directory is given. */
export function defaultRoleDir(selector: string, projectsDir: string): string {
  const [first = '', second] = selector.toLowerCase().split('/');
  return second ? join(projectsDir, first, `jackin-${second}`) : join(projectsDir, `jackin-${first}`);
}

function titleCase(name: string): string {
  return name
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');
}

/** The files of a new role; the Dockerfile's final FROM is the construct jackin passes as a build arg. */
export function scaffoldFiles(selector: string): Record<string, string> {
  const name = selector.split('/').at(-1) ?? selector;
  return {
    [MANIFEST_FILE]: `version = "${MANIFEST_VERSION}"\ndockerfile = "Dockerfile"\nagents = ["claude"]\n\n[identity]\nname = "${titleCase(name)}"\n\n[claude]\n`,
    Dockerfile: `ARG ${CONSTRUCT_BUILD_ARG}=${CONSTRUCT_DEFAULT_TAG}\nFROM \${${CONSTRUCT_BUILD_ARG}}\n\n# Add the tools this role needs, e.g.:\n# USER root\n# RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*\n`,
    'README.md': `# ${titleCase(name)}\n\nA jackin role. Validate it with \`jackin role validate\`; launch it with \`jackin load <path>\`.\n`,
    '.gitignore': '.DS_Store\n.env\n',
    '.dockerignore': '.git\n.github\nREADME.md\n',
  };
}

/** Writes a new role into `dir`; refuses a non-empty directory and never overwrites a file. */
export async function createRole(selector: string, dir: string): Promise<string[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  if (entries.length > 0)
    throw new JackinError('name_taken', `${dir} already exists and is not empty`, {
      hint: 'choose another directory',
    });
  await mkdir(dir, { recursive: true });
  const files = scaffoldFiles(selector);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text, { flag: 'wx' });
  return Object.keys(files);
}
