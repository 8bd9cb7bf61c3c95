import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { Clock } from '@app/core';
import { QueueModule, RedisModule } from '@app/queue';
import { TurfModule } from '@app/turf';
import { COVERAGE_ENTITIES } from './coverage.entity';
import { CoverageRepository } from './coverage.repository';
import { CoverageService } from './coverage.service';

@Module({
  imports: [TypeOrmModule.forFeature(COVERAGE_ENTITIES), QueueModule, RedisModule, TurfModule, AuditModule],
  providers: [CoverageRepository, CoverageService, Clock],
  exports: [CoverageService],
})
export class CoverageModule {}
