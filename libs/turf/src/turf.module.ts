import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@app/core';
import { AuditModule } from '@app/audit';
import { OrganizationsModule } from '@app/organizations';
import { QueueModule } from '@app/queue';
import { TURF_ENTITIES } from './entities';
import { CampaignRepository } from './repositories/campaign.repository';
import { DoorRepository } from './repositories/door.repository';
import { ImportRepository } from './repositories/import.repository';
import { TurfRepository } from './repositories/turf.repository';
import { AddressImportService } from './services/address-import.service';
import { CampaignService } from './services/campaign.service';
import { DoorService } from './services/door.service';
import { ImportRunner } from './services/import-runner.service';
import { TurfChanges } from './services/turf-changes';
import { TurfService } from './services/turf.service';

const services = [CampaignService, DoorService, AddressImportService, ImportRunner, TurfService, TurfChanges];

@Module({
  imports: [TypeOrmModule.forFeature(TURF_ENTITIES), QueueModule, AuditModule, OrganizationsModule],
  providers: [...services, Clock, CampaignRepository, DoorRepository, ImportRepository, TurfRepository],
  exports: services,
})
export class TurfModule {}
