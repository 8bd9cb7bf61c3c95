export * from './canvassing.module';
export * from './material.service';
export * from './dto/material.dto';
export { CANVASSING_ENTITIES, MATERIAL_KINDS, VISIT_OUTCOMES } from './entities';
export type { MaterialKind, VisitOutcome } from './entities';
export * from './dto/sync.dto';
export * from './dto/field.dto';
export * from './sync/sync.service';
export * from './field/field.service';
