import { Extensions1764000000000 } from './1764000000000-Extensions';
import { Accounts1795457991191 } from './1795457991191-Accounts';
import { CampaignsDoorsImports1795460216277 } from './1795460216277-CampaignsDoorsImports';
import { TurfsRoutes1795460820343 } from './1795460820343-TurfsRoutes';
import { CampaignSelfAssignment1795463294423 } from './1795463294423-CampaignSelfAssignment';
import { Materials1795465000689 } from './1795465000689-Materials';
import { Canvassing1795611940801 } from './1795611940801-Canvassing';
import { EventsReminders1795613189433 } from './1795613189433-EventsReminders';
import { CoverageRollups1795614342851 } from './1795614342851-CoverageRollups';
import { CoverageSeries1795614904961 } from './1795614904961-CoverageSeries';
import { Neighbourhoods1795615044951 } from './1795615044951-Neighbourhoods';
import { OrganizationMapTiles1795623706980 } from './1795623706980-OrganizationMapTiles';
import { Retention1795633645723 } from './1795633645723-Retention';
import { SealedNotes1795633765928 } from './1795633765928-SealedNotes';
import { CoverageVersions1795643940834 } from './1795643940834-CoverageVersions';
import { PaperVisits1795652554239 } from './1795652554239-PaperVisits';
import { PasswordResets1796429625766 } from './1796429625766-PasswordResets';
import { OrganizationCountry1796429746269 } from './1796429746269-OrganizationCountry';
import { ReminderReasonCodes1796429747269 } from './1796429747269-ReminderReasonCodes';
import { MaterialNamesStockRetire1796430161573 } from './1796430161573-MaterialNamesStockRetire';
import { ImportsKeepFarAddressesApart1796430325005 } from './1796430325005-ImportsKeepFarAddressesApart';
import { ImportReasonCodes1796430676148 } from './1796430676148-ImportReasonCodes';
import { TurfNumbers1796430676149 } from './1796430676149-TurfNumbers';

// Every migration, in order. A test checks that each file in this folder is listed here.
export const MIGRATIONS = [
  Extensions1764000000000,
  Accounts1795457991191,
  CampaignsDoorsImports1795460216277,
  TurfsRoutes1795460820343,
  CampaignSelfAssignment1795463294423,
  Materials1795465000689,
  Canvassing1795611940801,
  EventsReminders1795613189433,
  CoverageRollups1795614342851,
  CoverageSeries1795614904961,
  Neighbourhoods1795615044951,
  OrganizationMapTiles1795623706980,
  Retention1795633645723,
  SealedNotes1795633765928,
  CoverageVersions1795643940834,
  PaperVisits1795652554239,
  PasswordResets1796429625766,
  OrganizationCountry1796429746269,
  ReminderReasonCodes1796429747269,
  MaterialNamesStockRetire1796430161573,
  ImportsKeepFarAddressesApart1796430325005,
  ImportReasonCodes1796430676148,
  TurfNumbers1796430676149,
];
