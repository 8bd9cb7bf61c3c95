export * from './errors';
export * from './error-reasons';
export * from './pagination';
export * from './clock';
export * from './shutdown';
export * from './field-errors';
export * from './csv';
export * from './crypto/sealed-text';
