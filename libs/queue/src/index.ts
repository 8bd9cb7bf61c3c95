export * from './jobs';
export * from './job-producer.service';
export * from './queue.module';
export * from './redis.module';
export * from './redis-options';
export * from './redis-errors';
