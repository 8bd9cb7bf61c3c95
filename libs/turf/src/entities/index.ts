import { AddressImport, AddressImportFile, AddressImportRejection } from './address-import.entity';
import { Building } from './building.entity';
import { Campaign } from './campaign.entity';
import { Door } from './door.entity';

export * from './address-import.entity';
export { Building, Campaign, Door };

export const TURF_ENTITIES = [Campaign, Building, Door, AddressImport, AddressImportFile, AddressImportRejection];
