import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { appConfig, AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { OrganizationsModule } from '@app/organizations';
import { QueueModule } from '@app/queue';
import { TurfModule } from '@app/turf';
import { CanvassingModule } from '@app/canvassing';
import { EventsModule } from '@app/events';
import { CoverageModule } from '@app/coverage';
import { ImportsProcessor } from './processors/imports.processor';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { PlanningProcessor } from './processors/planning.processor';
import { RemindersProcessor } from './processors/reminders.processor';
import { CoverageProcessor } from './processors/coverage.processor';
import { CoverageTimer } from './coverage-timer.service';
import { ReminderSweeper } from './reminder-sweeper.service';
import { RetentionPurge } from './retention-purge.service';
import { SchedulerService } from './scheduler.service';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: AppConfig) => ({ pinoHttp: { level: app.logLevel } }),
    }),
    DatabaseModule,
    QueueModule,
    OrganizationsModule,
    TurfModule,
    CanvassingModule,
    EventsModule,
    CoverageModule,
  ],
  providers: [
    MaintenanceProcessor,
    ImportsProcessor,
    PlanningProcessor,
    RemindersProcessor,
    CoverageProcessor,
    SchedulerService,
    ReminderSweeper,
    CoverageTimer,
    RetentionPurge,
  ],
})
export class WorkerModule {}
