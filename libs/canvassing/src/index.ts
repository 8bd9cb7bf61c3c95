export * from './canvassing.module';
export * from './material.service';
export * from './dto/material.dto';
export { CANVASSING_ENTITIES, MATERIAL_KINDS } from './entities/material.entity';
export type { MaterialKind } from './entities/material.entity';
