import { FIELD_ENTITIES } from './field.entity';
import { CampaignMaterial, Material } from './material.entity';
import { PurgedCampaign } from './retention.entity';

export * from './field.entity';
export * from './material.entity';
export * from './retention.entity';
export const CANVASSING_ENTITIES = [Material, CampaignMaterial, ...FIELD_ENTITIES, PurgedCampaign];
