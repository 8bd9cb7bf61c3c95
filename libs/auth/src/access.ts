import { NotFoundError } from '@app/core';
import { Actor } from './roles';

/**
 * The tenant check every service runs on an object fetched by id: an object that does not
 * exist and an object of another organization get the same answer, so ids cannot be probed.
 */
export function assertInOrganization<T extends { organizationId: string }>(
  actor: Pick<Actor, 'organizationId'>,
  entity: T | null | undefined,
  what: string,
): T {
  if (!entity || entity.organizationId !== actor.organizationId) throw new NotFoundError(what);
  return entity;
}

/**
 * For objects that volunteers may see only when assigned to them: organizers and
 * coordinators see all of their organization's; a volunteer sees it only if listed.
 */
export function assertVisibleTo<T extends { organizationId: string }>(
  actor: Pick<Actor, 'organizationId' | 'role' | 'userId'>,
  entity: T | null | undefined,
  assignedUserIds: (entity: T) => readonly string[],
  what: string,
): T {
  const found = assertInOrganization(actor, entity, what);
  if (actor.role === 'volunteer' && !assignedUserIds(found).includes(actor.userId)) throw new NotFoundError(what);
  return found;
}

export function isStaff(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'organizer' || actor.role === 'coordinator';
}
