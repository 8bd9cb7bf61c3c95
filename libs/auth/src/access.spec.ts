import { NotFoundError } from '@app/core';
import { assertInOrganization, assertVisibleTo } from './access';

describe('access checks', () => {
  const org = 'org-a';
  const route = { organizationId: org, assignees: ['u1'] };
  const actor = (role: 'organizer' | 'coordinator' | 'volunteer', userId = 'u9') => ({ organizationId: org, role, userId });

  it('answers "not found" alike for a missing object and for another organization\'s', () => {
    expect(() => assertInOrganization(actor('organizer'), null, 'Route')).toThrow(NotFoundError);
    expect(() => assertInOrganization(actor('organizer'), { organizationId: 'org-b' }, 'Route')).toThrow(new NotFoundError('Route'));
    expect(assertInOrganization(actor('organizer'), route, 'Route')).toBe(route);
  });

  it('shows a volunteer only what is assigned to them; staff see all of their organization', () => {
    const assignees = (r: typeof route) => r.assignees;
    expect(() => assertVisibleTo(actor('volunteer', 'u9'), route, assignees, 'Route')).toThrow(NotFoundError);
    expect(assertVisibleTo(actor('volunteer', 'u1'), route, assignees, 'Route')).toBe(route);
    expect(assertVisibleTo(actor('coordinator'), route, assignees, 'Route')).toBe(route);
  });
});
