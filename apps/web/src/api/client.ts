/**
 * The app's only way to the API: same origin, JSON, bearer token. The access token is refreshed
 * shortly before it expires; a refresh token works once, so every caller shares the one refresh in
 * flight (two refreshes with the same token would end the session).
 */
import { loadSession, saveSession, Session } from './session';

export interface FieldError {
  field?: string;
  property?: string;
  message?: string;
  [k: string]: unknown;
}

/** An answer other than 2xx, with the API's error body (`code`, `message`, `details`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** No answer at all: offline, or the server is unreachable. */
export class NetworkError extends Error {}

const REFRESH_MARGIN_MS = 30_000;
let refreshing: Promise<Session | null> | null = null;

async function refresh(current: Session): Promise<Session | null> {
  refreshing ??= (async () => {
    try {
      const res = await fetch('/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: current.refreshToken }),
      });
      if (res.status === 401 || res.status === 400) {
        saveSession(null);
        return null;
      }
      if (!res.ok) return current;
      const next = (await res.json()) as Session;
      saveSession(next);
      return next;
    } catch {
      // Offline: keep the session; the next call tries again.
      return current;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** A current access token (refreshed if it is about to expire), for requests `api()` cannot make, such as a stream. */
export async function accessToken(): Promise<string | null> {
  let s = loadSession();
  if (!s) return null;
  if (new Date(s.accessTokenExpiresAt).getTime() - REFRESH_MARGIN_MS <= Date.now()) s = await refresh(s);
  return s?.accessToken ?? null;
}

export interface RequestOptions {
  body?: unknown;
  /** A file or form to upload as multipart. */
  form?: FormData;
  /** A file sent as the raw request body, with its own content type (address imports). */
  file?: { body: Blob; type: string };
  signal?: AbortSignal;
  /** Answer as text (CSV) instead of JSON. */
  text?: boolean;
}

export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const send = async (token: string | null): Promise<Response> => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (opts.form) body = opts.form;
    else if (opts.file) {
      headers['content-type'] = opts.file.type;
      body = opts.file.body;
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    try {
      return await fetch(path, { method, headers, body, signal: opts.signal });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new NetworkError(String(err));
    }
  };
  let res = await send(await accessToken());
  if (res.status === 401) {
    // The access token may have been revoked or expired early: one refresh, one retry.
    const s = loadSession();
    if (s) {
      const next = await refresh(s);
      if (next) res = await send(next.accessToken);
    }
  }
  if (!res.ok) {
    let code = 'HTTP_' + res.status;
    let message = res.statusText;
    let details: unknown;
    try {
      const b = (await res.json()) as { code?: string; message?: string; details?: unknown };
      code = b.code ?? code;
      message = b.message ?? message;
      details = b.details;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, code, message, details);
  }
  if (res.status === 204) return undefined as T;
  if (opts.text) return (await res.text()) as T;
  return (await res.json()) as T;
}

/**
 * Downloads an authorised file (CSV, PDF) and saves it under the name the server gives. With
 * `post`, the file is asked for with a POST of that JSON body (door-level exports send the
 * password and a reason); a refusal comes back as an ApiError with the API's code.
 */
export async function download(path: string, fallbackName: string, post?: { body: unknown }): Promise<void> {
  const token = await accessToken();
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (post) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method: post ? 'POST' : 'GET', headers, body: post ? JSON.stringify(post.body) : undefined });
  } catch (err) {
    throw new NetworkError(String(err));
  }
  if (!res.ok) {
    const b = (await res.json().catch(() => ({}))) as { code?: string; message?: string; details?: unknown };
    throw new ApiError(res.status, b.code ?? 'HTTP_' + res.status, b.message ?? res.statusText, b.details);
  }
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function login(email: string, password: string): Promise<void> {
  const res = await fetch('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) {
    const b = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new ApiError(res.status, b.code ?? 'HTTP_' + res.status, b.message ?? res.statusText);
  }
  saveSession((await res.json()) as Session);
}

export async function logout(): Promise<void> {
  try {
    await api('POST', '/auth/logout');
  } catch {
    /* the session ends locally whatever the server says */
  }
  saveSession(null);
}
