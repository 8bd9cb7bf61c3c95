import { pathForLog } from './log-path';

describe('pathForLog', () => {
  const id = '3f1c2a9e-5b7d-4c1e-9a2f-0d8e7c6b5a41';
  it.each([
    [`/public/rsvps/${id}/s3cretRsvpToken`, `/public/rsvps/${id}/:token`],
    [`/public/rsvps/${id}/s3cretRsvpToken/cancel`, `/public/rsvps/${id}/:token/cancel`],
    [`/public/rsvps/${id}/s3cretRsvpToken/calendar.ics`, `/public/rsvps/${id}/:token/calendar.ics`],
    [`/rsvp/${id}/s3cretRsvpToken`, `/rsvp/${id}/:token`],
    ['/public/calendar/s3cretFeedToken.ics', '/public/calendar/:token.ics'],
    ['/public/calendar/s3cretFeedToken', '/public/calendar/:token'],
    ['/public/events/s3cretEventToken', '/public/events/:token'],
    ['/public/events/s3cretEventToken/rsvps', '/public/events/:token/rsvps'],
    ['/e/s3cretEventToken', '/e/:token'],
    ['/join/s3cretInviteToken', '/join/:token'],
    ['/reset-password/s3cretResetToken', '/reset-password/:token'],
    ['/join?token=s3cretInviteToken', '/join'],
    ['/PUBLIC/Rsvps/x/s3cretRsvpToken', '/PUBLIC/Rsvps/x/:token'],
  ])('masks the token of %s', (url, logged) => {
    expect(pathForLog(url)).toBe(logged);
  });

  it('leaves other paths as they are, without their query', () => {
    expect(pathForLog(`/campaigns/${id}/follow-ups?status=open`)).toBe(`/campaigns/${id}/follow-ups`);
    expect(pathForLog('/invites/accept')).toBe('/invites/accept');
    expect(pathForLog(undefined)).toBe('');
  });
});
