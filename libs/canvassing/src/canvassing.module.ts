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
import { NoteRotationService } from './notes/note-rotation.service';
import { NoteSealer } from './notes/note-sealer';
import { PaperVisitsService } from './paper/paper-visits.service';
import { RetentionRepository } from './retention/retention.repository';
import { FieldRetentionService } from './retention/retention.service';
import { SyncRepository } from './sync/sync.repository';
import { SyncService } from './sync/sync.service';

@Module({
  imports: [TypeOrmModule.forFeature(CANVASSING_ENTITIES), TurfModule, AuditModule],
  providers: [
    MaterialService,
    MaterialRepository,
    SyncService,
    SyncRepository,
    FieldService,
    FieldRepository,
    PaperVisitsService,
    RetentionRepository,
    FieldRetentionService,
    NoteSealer,
    NoteRotationService,
    Clock,
  ],
  exports: [MaterialService, SyncService, FieldService, PaperVisitsService, FieldRetentionService, NoteRotationService],
})
export class CanvassingModule {}
