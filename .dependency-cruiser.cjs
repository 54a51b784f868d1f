/* global module */
/**
 * The layer table of DESIGN.md ("Layers and folders"), enforced. `npm run depcruise` (part of
 * `npm run check`) fails on any import a folder is not allowed to make, on vendor libraries used
 * outside their folder, and on cycles. Type-only imports count: a layer's types are part of it.
 * Changing a line here changes the architecture: update docs/architecture.md in the same commit.
 */

/** folder under src/ → the other src/ folders it may import (itself always). */
const LAYERS = {
  kernel: [],
  config: ['kernel'],
  logging: ['kernel'],
  db: ['kernel'],
  events: ['kernel', 'db'],
  domain: ['kernel', 'events'],
  projections: ['kernel', 'events', 'db', 'domain'],
  runtime: ['kernel'],
  roles: ['kernel', 'config'],
  workspaces: ['kernel', 'config'],
  agents: ['kernel', 'config'],
  github: ['kernel', 'config'],
  images: ['kernel', 'config', 'runtime', 'events', 'logging'],
  engine: [
    'kernel',
    'config',
    'logging',
    'db',
    'events',
    'domain',
    'projections',
    'runtime',
    'roles',
    'workspaces',
    'agents',
    'github',
    'images',
  ],
  // db: the connection type projections are read through; github: the link poller's client port.
  workers: [
    'kernel',
    'config',
    'logging',
    'db',
    'events',
    'domain',
    'projections',
    'engine',
    'runtime',
    'github',
  ],
  console: ['kernel'],
  app: [
    'kernel',
    'config',
    'logging',
    'db',
    'events',
    'domain',
    'projections',
    'runtime',
    'roles',
    'workspaces',
    'agents',
    'github',
    'images',
    'engine',
    'workers',
    // Only the console's port (src/console/ports.ts): app builds its adapters (rule console-port-only).
    'console',
  ],
  cli: [
    'kernel',
    'config',
    'logging',
    'db',
    'events',
    'domain',
    'projections',
    'runtime',
    'roles',
    'workspaces',
    'agents',
    'github',
    'images',
    'engine',
    'workers',
    'console',
    'app',
  ],
  // Documentation generators (npm run docs): read the catalog and the commander program.
  // (config and roles for the configuration reference generated from their zod schemas)
  docs: ['kernel', 'events', 'cli', 'config', 'roles'],
};

const ALL = Object.keys(LAYERS);

const layerRules = Object.entries(LAYERS).flatMap(([layer, allowed]) => {
  const forbidden = ALL.filter((other) => other !== layer && !allowed.includes(other));
  if (forbidden.length === 0) return [];
  return [
    {
      name: `layer-${layer}`,
      comment: `src/${layer} may import only ${allowed.length ? allowed.join(', ') : 'nothing internal'} (DESIGN.md layer table)`,
      severity: 'error',
      from: { path: `^src/${layer}/` },
      to: { path: `^src/(${forbidden.join('|')})/` },
    },
  ];
});

/** Vendor libraries confined to their folder (DESIGN.md: "vendor libraries confined to their folder"). */
const VENDORS = [
  { module: 'dockerode|docker-modem', only: 'src/runtime/docker/' },
  { module: 'p-queue', only: 'src/workers/' },
  { module: 'octokit|@octokit/[^/]+', only: 'src/github/' },
  { module: 'pino', only: 'src/logging/' },
  { module: 'commander', only: 'src/(cli|docs)/' },
  { module: 'ink|react|ink-[^/]+', only: 'src/(console|cli)/' },
  { module: 'better-sqlite3', only: 'src/(db|events|projections)/' },
  { module: 'kysely', only: 'src/(db|events|projections|workers)/|migrations/' },
  { module: 'smol-toml', only: 'src/(config|roles|workspaces)/' },
];

const vendorRules = VENDORS.map(({ module, only }) => ({
  name: `vendor-${module.split('|')[0]}`,
  comment: `${module.split('|')[0]} is used only in ${only}`,
  severity: 'error',
  from: { pathNot: `^(${only})` },
  to: { path: `(^|/)node_modules/(${module})/` },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    ...vendorRules,
    {
      name: 'console-port-only',
      comment: 'src/app implements the console ports; it never imports the Ink app itself (ink loads lazily)',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/console/', pathNot: '^src/console/ports[.]ts$' },
    },
    {
      name: 'no-circular',
      comment: 'no import cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'migrations-frozen',
      comment: 'migrations are frozen in time and never import src/',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { path: '^src/' },
    },
    {
      name: 'only-db-runs-migrations',
      comment: 'the migrator wrapper in src/db is the only way in',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/db/' },
      to: { path: '^migrations/' },
    },
    {
      name: 'no-tests-in-src',
      comment: 'production code never imports tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-dev-deps-in-src',
      comment: 'src/ ships: it may not import devDependencies',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'every import resolves',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
