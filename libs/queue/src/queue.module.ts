import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { redisConfig, RedisConfig } from '@app/config';
import { JobProducer } from './job-producer.service';
import { QUEUE } from './jobs';
import { redisOptionsFromUrl } from './redis-options';

const queues = Object.values(QUEUE).map((name) => ({ name }));

@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [redisConfig.KEY],
      useFactory: (redis: RedisConfig) => ({
        connection: { ...redisOptionsFromUrl(redis.url), maxRetriesPerRequest: null },
        prefix: `${redis.keyPrefix}:bull`,
        defaultJobOptions: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: { age: 24 * 3600, count: 1000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      }),
    }),
    BullModule.registerQueue(...queues),
  ],
  providers: [JobProducer],
  exports: [JobProducer, BullModule],
})
export class QueueModule {}
