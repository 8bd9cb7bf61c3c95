export * from './environment';
export * from './namespaces';
export * from './config.module';
