export * from './snake-naming.strategy';
export * from './data-source-options';
export * from './migrate';
export * from './pg-errors';
export * from './database.module';
export * from './locks';
