export * from './random';
export * from './synthetic-neighbourhood';
export * from './spatial-index';
export * from './distance';
export * from './route';
export * from './tsplib';
export * from './turf';
