import type { DataSource } from 'typeorm';

/** How often the API reads the organizations' tile servers again (one organization may set one at any time). */
export const TILE_ORIGINS_REFRESH_MS = 60_000;

/** The origin (scheme, host, port) of a tile URL template such as https://tiles.example.org/{z}/{x}/{y}.png. */
export function tileOrigin(template: string): string | null {
  try {
    const url = new URL(template.replace(/\{[a-z]+\}/gi, '0'));
    return url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * The tile servers organizations configured, for the Content-Security-Policy's `img-src`. The
 * policy is one header for the whole app (the page is served before anyone signs in, so it
 * cannot depend on the organization): it allows the app itself and every configured tile
 * server, read at startup and again every minute, and nothing else.
 */
export class TileOrigins {
  private origins: string[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /** The sources for `img-src`, as one space-separated string ('' when none is configured). */
  get directive(): string {
    return this.origins.join(' ');
  }

  async refresh(): Promise<void> {
    const rows = await this.dataSource.query<{ url: string }[]>(
      'SELECT DISTINCT map_tile_url AS url FROM organizations WHERE map_tile_url IS NOT NULL',
    );
    const origins = new Set<string>();
    for (const { url } of rows) {
      const origin = tileOrigin(url);
      if (origin) origins.add(origin);
    }
    this.origins = [...origins].sort();
  }

  /** Reads them now, then every minute until stop(); a failed read keeps the last known list. */
  async start(): Promise<void> {
    await this.refresh().catch(() => undefined);
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), TILE_ORIGINS_REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
