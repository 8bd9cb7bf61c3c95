import { FIELD_ENTITIES } from './field.entity';
import { CampaignMaterial, Material } from './material.entity';

export * from './field.entity';
export * from './material.entity';
export const CANVASSING_ENTITIES = [Material, CampaignMaterial, ...FIELD_ENTITIES];
