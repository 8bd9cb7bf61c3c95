export * from './random';
export * from './synthetic-neighbourhood';
export * from './spatial-index';
export * from './distance';
