/**
 * The HTTP client of the benchmarks: node:http with a keep-alive agent, which costs less on the
 * client side than fetch. That matters when the load generator shares the cores with the server it
 * measures.
 */
import * as http from 'node:http';

export interface Answer {
  status: number;
  body: string;
}

export interface CallOptions {
  /** Sent as `authorization: Bearer <token>`. */
  token?: string;
  /** A body to send as JSON. */
  json?: unknown;
  /** A body already serialized (JSON unless `contentType` says otherwise); wins over `json`. */
  text?: string;
  contentType?: string;
}

/** One request, with a bearer token and a JSON or text body when given. */
export function call(agent: http.Agent, baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const payload = options.text ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  const headers: Record<string, string | number> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (payload !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${path}`, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The answer's JSON body; throws, with the start of the body, unless the status is `status`. */
export async function expectJson<T>(answer: Promise<Answer>, status: number, what: string): Promise<T> {
  const res = await answer;
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${res.body.slice(0, 500)}`);
  return JSON.parse(res.body) as T;
}

/** The claims of an access token, read without checking it (the API checks it). */
export function claimsOf(token: string): { sub: string; org: string } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string; org: string };
}
