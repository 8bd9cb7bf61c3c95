export const ROLES = ['organizer', 'coordinator', 'volunteer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: one person acting in one organization, through one session. */
export interface Actor {
  userId: string;
  organizationId: string;
  membershipId: string;
  role: Role;
  sessionId: string;
}
