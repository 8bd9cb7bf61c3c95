export * from './coverage.module';
export * from './coverage.service';
export { COVERAGE_ENTITIES } from './coverage.entity';
