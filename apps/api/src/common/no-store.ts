import type { FastifyInstance } from 'fastify';

/** Answers that anyone may keep: the public event page's data (the web app's own files set their own header). */
const SHAREABLE = /^\/public\/events\/[^/]+$/;

/**
 * `Cache-Control: no-store` on every API answer that has not set its own: what a signed-in
 * person reads (their account, exports, walk lists), tokens from logins, personal links' pages
 * and every error, so that no browser or proxy cache keeps a copy. An answer to a request that
 * carries credentials is never stored, whatever it set. The web app's files and pages set their
 * own caching (web-app.ts) and keep it; the public event page's data is shared by design.
 */
export function registerNoStore(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply) => {
    const credentials = request.headers.authorization !== undefined;
    if (!credentials && reply.hasHeader('cache-control')) return;
    if (!credentials && request.method === 'GET' && SHAREABLE.test(request.url.split('?')[0])) return;
    void reply.header('cache-control', 'no-store');
  });
}
