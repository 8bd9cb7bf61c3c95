export * from './random';
export * from './synthetic-neighbourhood';
