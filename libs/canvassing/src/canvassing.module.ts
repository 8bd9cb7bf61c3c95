import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { Clock } from '@app/core';
import { TurfModule } from '@app/turf';
import { CANVASSING_ENTITIES } from './entities';
import { FieldRepository } from './field/field.repository';
import { FieldService } from './field/field.service';
import { MaterialRepository } from './material.repository';
import { MaterialService } from './material.service';
import { SyncRepository } from './sync/sync.repository';
import { SyncService } from './sync/sync.service';

@Module({
  imports: [TypeOrmModule.forFeature(CANVASSING_ENTITIES), TurfModule, AuditModule],
  providers: [MaterialService, MaterialRepository, SyncService, SyncRepository, FieldService, FieldRepository, Clock],
  exports: [MaterialService, SyncService, FieldService],
})
export class CanvassingModule {}
