import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TurfModule } from '@app/turf';
import { CANVASSING_ENTITIES } from './entities/material.entity';
import { MaterialRepository } from './material.repository';
import { MaterialService } from './material.service';

@Module({
  imports: [TypeOrmModule.forFeature(CANVASSING_ENTITIES), TurfModule],
  providers: [MaterialService, MaterialRepository],
  exports: [MaterialService],
})
export class CanvassingModule {}
