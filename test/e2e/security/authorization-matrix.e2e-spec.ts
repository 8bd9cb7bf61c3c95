import { INestApplicationContext } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { authConfig, AuthConfig } from '@app/config';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { startWorker } from '../../support/worker';
import { buildWorld, Call, freshToken, pick, REQUESTS, RequestSpec, World } from '../../security/authorization-fixture';
import { ActorName, ACTORS, OUTSIDE_DOCUMENT, POLICY, Policy, Target } from '../../security/authorization-policy';

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);
/** Own first, the probes of objects that must stay unknown next, the other object of the organization last (merge and split consume it). */
const TARGET_ORDER: Target[] = ['own', 'otherOrg', 'nonexistent', 'sameOrg', 'n/a'];

interface Answer {
  status: number;
  body: { statusCode?: number; code?: string; message?: string } | undefined;
}

/**
 * Calls every operation of the OpenAPI document as each actor against each target and compares
 * every answer with test/security/authorization-policy.ts (see docs/security.md).
 */
describe('the authorization matrix', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let a: World;
  let b: World;
  let expired: string;
  let documented: string[];
  /** Operations whose document describes a request body. */
  let withBody: Set<string>;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    // Listening for real: the event stream is read from a socket, its status only.
    await t.app.listen(0, '127.0.0.1');
    a = await buildWorld(t, 'Matrix A');
    b = await buildWorld(t, 'Matrix B');
    const claims = new JwtService().decode<{ sub: string; sid: string; org: string }>(a.organizer.accessToken);
    const secret = t.app.get<AuthConfig>(authConfig.KEY).accessSecret;
    const past = Math.floor(Date.now() / 1000) - 60;
    expired = await new JwtService({ secret }).signAsync(
      { sub: claims.sub, sid: claims.sid, org: claims.org, iat: past - 900, exp: past },
      { issuer: 'porchlight', audience: 'porchlight-api' },
    );
    const doc = (await t.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([m]) => METHODS.has(m))
        .map(([m, op]) => ({ name: `${m.toUpperCase()} ${path}`, body: op.requestBody !== undefined })),
    );
    documented = operations.map((o) => o.name);
    withBody = new Set(operations.filter((o) => o.body).map((o) => o.name));
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  const home = (actor: ActorName) => (actor === 'outsider' ? b : a);
  const away = (actor: ActorName) => (actor === 'outsider' ? a : b);
  const token = (actor: ActorName): string | null =>
    ({
      anonymous: null,
      assignedVolunteer: a.assignedVolunteer.accessToken,
      otherVolunteer: a.otherVolunteer.accessToken,
      coordinator: a.coordinator.accessToken,
      organizer: a.organizer.accessToken,
      outsider: b.organizer.accessToken,
      deactivated: a.deactivated.accessToken,
      expired,
    })[actor];

  /** An event stream never ends: its status line and, for a refusal, its error body. */
  const stream = (url: string, bearer: string | null) =>
    new Promise<Answer>((resolve, reject) => {
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const req = httpRequest(
        { host: '127.0.0.1', port, path: url, headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} },
        (res) => {
          if (res.statusCode === 200) {
            req.destroy();
            return resolve({ status: 200, body: undefined });
          }
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }));
        },
      );
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      req.end();
    });

  async function call(op: string, spec: RequestSpec, c: Call): Promise<Answer> {
    const [method, path] = op.split(' ');
    const params: Record<string, string> = { ...spec.params?.(c) };
    if (spec.kind && params.id === undefined) params.id = pick(c, spec.kind);
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (params[name] === undefined) throw new Error(`${op}: no value for {${name}}`);
      return encodeURIComponent(params[name]);
    });
    const body = spec.body ? await spec.body(c, params) : undefined;
    const bearer = spec.freshSession ? ((await freshToken(c)) ?? token(c.actor)) : token(c.actor);
    if (spec.stream) return stream(url, bearer);
    let req = t.http()[method.toLowerCase() as 'get'](url);
    if (bearer) req = req.set('Authorization', `Bearer ${bearer}`);
    if (spec.contentType) req = req.set('Content-Type', spec.contentType);
    const res = body === undefined ? await req : await req.send(body as object);
    if (spec.perRecord && res.status === 200) {
      const record = (res.body as { results: { status: string; code?: string; message?: string }[] }).results[0];
      if (record.status !== 'rejected') return { status: 200, body: res.body as Answer['body'] };
      const status = record.code === 'NOT_YOUR_ROUTE' ? 403 : record.code === 'UNKNOWN_ROUTE' ? 404 : 422;
      return { status, body: { code: record.code, message: record.message } };
    }
    return { status: res.status, body: res.body as Answer['body'] };
  }

  it('answers every operation, as every actor, against every target, exactly as the policy table says', async () => {
    const problems: string[] = [];
    const inDocument = new Set(documented);
    for (const op of documented) if (!POLICY[op]) problems.push(`${op}: in the OpenAPI document but not in the policy table`);
    for (const op of Object.keys(POLICY))
      if (!inDocument.has(op)) problems.push(`${op}: in the policy table but not in the OpenAPI document`);
    for (const op of documented.filter((o) => POLICY[o])) {
      const spec = REQUESTS[op] ?? {};
      const params = [...op.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const named = spec.params ? Object.keys(spec.params({ t, actor: 'organizer', target: 'own', home: a, away: b })) : [];
      for (const p of params) if (!named.includes(p) && !(p === 'id' && spec.kind)) problems.push(`${op}: no fixture for {${p}}`);
      if (withBody.has(op) && !spec.body) problems.push(`${op}: takes a body and the fixture gives none`);
    }

    const operations: [string, Policy][] = [
      ...documented.filter((op) => POLICY[op]).map((op): [string, Policy] => [op, POLICY[op]]),
      ...Object.entries(OUTSIDE_DOCUMENT),
    ].sort(([x], [y]) => (REQUESTS[x]?.phase ?? 0) - (REQUESTS[y]?.phase ?? 0));

    let calls = 0;
    let unexpectedAllows = 0;
    let mismatchedDenials = 0;
    for (const [op, policy] of operations) {
      const spec = REQUESTS[op] ?? {};
      for (const actor of ACTORS) {
        const notFound: Partial<Record<Target, Answer['body']>> = {};
        for (const target of TARGET_ORDER.filter((x) => policy.targets.includes(x))) {
          const expected = policy.expect[actor][target];
          const cell = `${op} as ${actor} on ${target}`;
          if (expected === undefined) {
            problems.push(`${cell}: no expectation in the table`);
            continue;
          }
          const answer = await call(op, spec, { t, actor, target, home: home(actor), away: away(actor) });
          calls++;
          const normal = policy.normal?.[answer.status];
          const allowed = (answer.status >= 200 && answer.status < 300) || (normal !== undefined && answer.body?.code === normal);
          const seen = `${answer.status} ${answer.body?.code ?? ''}`.trim();
          if (expected === 'allow') {
            if (!allowed) {
              mismatchedDenials++;
              problems.push(`${cell}: expected allowed, got ${seen}`);
            }
          } else if (allowed) {
            unexpectedAllows++;
            problems.push(`${cell}: ALLOWED (${answer.status}), the table says ${expected}`);
          } else if (answer.status !== expected) {
            mismatchedDenials++;
            problems.push(`${cell}: expected ${expected}, got ${seen}`);
          }
          if (answer.status === 404) notFound[target] = answer.body;
        }
        // Another organization's id must be indistinguishable from one that exists nowhere.
        if (notFound.otherOrg && notFound.nonexistent) {
          const shape = (x: Answer['body']) => ({ statusCode: x?.statusCode, code: x?.code, message: x?.message });
          if (JSON.stringify(shape(notFound.otherOrg)) !== JSON.stringify(shape(notFound.nonexistent))) {
            mismatchedDenials++;
            problems.push(
              `${op} as ${actor}: another organization's id answers ${JSON.stringify(shape(notFound.otherOrg))}, ` +
                `a missing one ${JSON.stringify(shape(notFound.nonexistent))}`,
            );
          }
        }
      }
    }

    console.log(
      `authorization matrix: ${operations.length} operations covered, ${calls} calls, ` +
        `${unexpectedAllows} unexpected allows, ${mismatchedDenials} mismatched denials`,
    );
    expect(problems).toEqual([]);
    expect(unexpectedAllows).toBe(0);
    expect(mismatchedDenials).toBe(0);
  }, 120_000);
});
