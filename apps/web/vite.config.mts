// Builds the web app into dist/web, which the API serves at `/`. The service worker (Workbox,
// through vite-plugin-pwa) precaches the app shell so the field app opens with no connection;
// the volunteer's routes and unsent records live in IndexedDB, not in the service worker's cache.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // The console chunk carries Leaflet (desktop only); phones load index + field, about 105 KB gzip.
    chunkSizeWarningLimit: 450,
    // The compression plugin's time is expected (brotli at build time); its timing notice hid what matters in `npm start`.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    // `npm run dev:web` proxies the API so the app talks to its own origin, as in production.
    proxy: Object.fromEntries(
      ['/auth', '/me', '/invites', '/members', '/organizations', '/campaigns', '/turfs', '/routes', '/doors', '/imports', '/sync', '/visits', '/follow-ups', '/materials', '/events', '/public', '/reminder-schedule', '/message-templates', '/audit-log', '/health'].map(
        (p) => [p, 'http://127.0.0.1:3000'],
      ),
    ),
  },
  plugins: [
    // Brotli and gzip copies of every text asset, made once at build time; the API serves them to
    // browsers that accept them (a weak phone connection downloads about a third of the bytes).
    compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(js|css|html|svg|webmanifest)$/, threshold: 512 }),
    VitePWA({
      injectRegister: null,
      registerType: 'autoUpdate',
      filename: 'sw.js',
      manifest: {
        name: 'Porchlight',
        short_name: 'Porchlight',
        description: 'Door-to-door canvassing, online or offline',
        start_url: '/app',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1f3a5f',
        icons: [
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/index.html',
        // Only the app's own pages: API downloads (CSV, PDF, calendar files) must reach the server.
        navigateFallbackAllowlist: [/^\/$/, /^\/app(\/|$)/, /^\/join(\/|$)/, /^\/login(\/|$)/, /^\/(forgot|reset)-password(\/|$)/, /^\/e\//, /^\/rsvp\//],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
});
