// Dependencies go one way. Each lib may import only the libs listed for it, and only through
// their public index; apps never import each other. `npm run depcheck` enforces it.
const ALLOWED = {
  core: [],
  config: [],
  geo: [],
  database: ['config'],
  auth: ['core'],
  queue: ['config'],
  audit: ['core', 'database', 'config'],
  organizations: ['core', 'config', 'database', 'auth', 'audit'],
  turf: ['core', 'config', 'database', 'auth', 'audit', 'queue', 'organizations', 'geo'],
  canvassing: ['core', 'config', 'database', 'auth', 'audit', 'organizations', 'turf'],
  events: ['core', 'config', 'database', 'auth', 'audit', 'organizations', 'queue'],
  coverage: ['core', 'config', 'database', 'auth', 'audit', 'queue', 'turf'],
};

const libRules = Object.entries(ALLOWED).map(([lib, allowed]) => ({
  name: `${lib}-imports-only-${allowed.join('-') || 'nothing'}`,
  severity: 'error',
  from: { path: `^libs/${lib}/` },
  to: { path: '^libs/([^/]+)/', pathNot: [`^libs/(${[lib, ...allowed].join('|')})/`] },
}));

module.exports = {
  forbidden: [
    ...libRules,
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'libs-never-import-apps', severity: 'error', from: { path: '^libs/', pathNot: '\\.(spec|int-spec)\\.ts$' }, to: { path: '^apps/' } },
    {
      name: 'apps-do-not-import-each-other',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'only-through-a-lib-index',
      comment: 'Import a lib through its alias (@app/x), never a file inside it.',
      severity: 'error',
      from: { path: '^(apps|libs/([^/]+))/', pathNot: '\\.(spec|int-spec)\\.ts$' },
      to: { path: '^libs/([^/]+)/src/.+', pathNot: ['^libs/([^/]+)/src/index\\.ts$', '^libs/$2/'] },
    },
    { name: 'no-dev-deps-in-production-code', severity: 'error', from: { path: '^(apps|libs)/', pathNot: '\\.(spec|int-spec|e2e-spec)\\.ts$' }, to: { dependencyTypes: ['npm-dev'] } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|^apps/web/)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
