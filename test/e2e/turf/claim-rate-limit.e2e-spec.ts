import { authConfig, redisConfig } from '@app/config';
import { CLAIM_LIMIT_PER_MINUTE } from '../../../apps/api/src/auth/rate-limits';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, signupOrganizer } from '../../support/factories';

describe('rate limits of taking a route by its code and of invite previews', () => {
  const PREFIX = `${process.env.REDIS_KEY_PREFIX}:claim-rate-limit-spec-${Date.now()}`;
  let t: TestApp;

  beforeAll(async () => {
    // Its own key prefix: the counts of other specs (and of earlier runs) play no part.
    // The credential limits at their defaults (the test environment raises them), so that a preview counted as a login would show.
    t = await createTestApp((b) =>
      b
        .overrideProvider(authConfig.KEY)
        .useValue({ ...authConfig(), loginLimitPerAccount: 10, loginLimitPerIp: 100 })
        .overrideProvider(redisConfig.KEY)
        .useValue({ ...redisConfig(), keyPrefix: PREFIX }),
    );
  });
  afterAll(() => t.close());

  it('answers 429 past the limit for one account, while another account from the same address still gets through', async () => {
    const organizer = await signupOrganizer(t);
    const guesser = await addMember(t, organizer, 'volunteer');
    const neighbour = await addMember(t, organizer, 'volunteer');
    const statuses: number[] = [];
    for (let i = 0; i < CLAIM_LIMIT_PER_MINUTE + 5; i++) {
      statuses.push(
        (
          await t
            .http()
            .post('/routes/claim')
            .set(bearer(guesser))
            .send({ code: `ZZZZZ${'ABCDEFGHJKLMNPQRSTUVWXY'[i]}ZZ` })
        ).status,
      );
    }
    expect(statuses.slice(0, CLAIM_LIMIT_PER_MINUTE).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(CLAIM_LIMIT_PER_MINUTE).every((s) => s === 429)).toBe(true);
    // Extra body fields do not make a fresh count: the limit follows the signed-in person.
    await t.http().post('/routes/claim').set(bearer(guesser)).send({ code: 'ZZZZZZZZ', email: 'someone@example.org' }).expect(429);

    const blocked = await t.http().post('/routes/claim').set(bearer(guesser)).send({ code: 'ZZZZZZZZ' }).expect(429);
    expect(blocked.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    // Same address (the test client's), another account: not throttled.
    await t.http().post('/routes/claim').set(bearer(neighbour)).send({ code: 'ZZZZZZZZ' }).expect(404);
  });

  it('does not throttle invite previews from one address together at the login limit', async () => {
    // Before: 10 previews in 15 minutes from one address, for everyone behind it.
    for (let i = 0; i < 25; i++) {
      await t
        .http()
        .post('/invites/preview')
        .send({ token: `not-a-real-invite-token-${i}-${'x'.repeat(20)}` })
        .expect((r) => {
          if (r.status === 429) throw new Error(`preview ${i + 1} answered 429`);
        });
    }
  });
});
