export * from './roles';
export * from './decorators';
export * from './guards';
export * from './access';
