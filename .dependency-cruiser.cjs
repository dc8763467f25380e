// The import rules of src/ (README "Architecture"): imports point down. Checked by `npm run lint`.
const BASE = '^src/(config|database|common|redis|domain-events)/';
const BASE_OR_ROOT_FILE = '^src/((config|database|common|redis|domain-events)/|[^/]+$)';

module.exports = {
  forbidden: [
    {
      name: 'base-imports-no-feature',
      comment:
        'config, database, common, redis and domain-events are the base every feature stands on: they import no feature (a feature that must reach them does it through a domain event or a provider the base defines).',
      severity: 'error',
      from: { path: BASE },
      to: { path: '^src/', pathNot: BASE_OR_ROOT_FILE },
    },
    {
      name: 'bookings-never-imports-mail',
      comment: 'A booking announces itself with a domain event; mail subscribes to it.',
      severity: 'error',
      from: { path: '^src/bookings/' },
      to: { path: '^src/mail/' },
    },
    {
      name: 'events-never-imports-bookings-or-sales',
      comment: 'Bookings and sales stand on events, not the other way round.',
      severity: 'error',
      from: { path: '^src/events/' },
      to: { path: '^src/(bookings|sales)/' },
    },
    {
      name: 'auth-never-imports-events',
      comment: 'Accounts know nothing of events (the organisers module brings the two together).',
      severity: 'error',
      from: { path: '^src/auth/' },
      to: { path: '^src/events/' },
    },
    {
      name: 'no-cycles-between-folders',
      comment: 'Two folders that import each other are one folder, or want a domain event.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-cycles-between-files',
      comment:
        'Entities on both ends of a TypeORM relation name each other; nothing else may (a cycle of type imports only is harmless).',
      severity: 'error',
      from: { path: '^src/', pathNot: '/entities/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
