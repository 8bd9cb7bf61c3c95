import { Invite } from './invite.entity';
import { Membership } from './membership.entity';
import { Organization } from './organization.entity';
import { PasswordReset } from './password-reset.entity';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';
import { User } from './user.entity';

export { Invite, Membership, Organization, PasswordReset, RefreshToken, Session, User };
export * from './user.entity';
export * from './membership.entity';
export { RETENTION_DAYS, RETENTION_SETTINGS } from './organization.entity';
export type { OrganizationSettings, RetentionSetting } from './organization.entity';

export const ORGANIZATION_ENTITIES = [Organization, User, Membership, Invite, Session, RefreshToken, PasswordReset];
