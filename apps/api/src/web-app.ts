import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyReply } from 'fastify';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The app's own pages; every other path belongs to the API. */
const PAGES = ['/', '/login', '/forgot-password', '/reset-password', '/join', '/app', '/app/*', '/e/*', '/rsvp/*'];

/**
 * Serves the built web app (dist/web) from the API's origin, so the app needs no CORS and its
 * service worker covers `/`. Hashed assets are cached for a year; the page, the service worker
 * and the manifest are revalidated on every load so an update reaches phones at once.
 */
export async function mountWebApp(app: NestFastifyApplication, webDir: string): Promise<void> {
  const root = resolve(webDir);
  const fastify = app.getHttpAdapter().getInstance();
  if (!existsSync(join(root, 'index.html'))) {
    const hint = 'The web app is not built. Run `npm run build` (or `npm run build:web`), then restart the API.';
    for (const url of PAGES) fastify.get(url, (_req, reply) => reply.code(503).type('text/plain; charset=utf-8').send(hint));
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: false,
    // The build holds .br and .gz copies (vite-plugin-compression2): sent as they are, no work per request.
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, path) => {
      void reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const page = (_req: unknown, reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html', root);
  for (const url of PAGES) fastify.get(url, page);
}
