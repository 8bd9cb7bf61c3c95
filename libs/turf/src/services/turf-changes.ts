import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * Called inside the transaction that changed these turfs' doors, so that what is kept per turf
 * changes with them; `campaignIds` name campaigns whose own totals changed too (a door marked or
 * unmarked "do not knock"), empty when doors only moved between turfs.
 */
export type TurfChangeHandler = (m: EntityManager, turfIds: string[], campaignIds: string[]) => Promise<void>;

/**
 * Tells the modules that keep figures per turf (coverage) that turfs' doors changed: doors moved
 * between turfs, turfs merged or split, a door marked "do not knock" by an organizer. They register here rather than this module calling
 * them, as they depend on this one.
 */
@Injectable()
export class TurfChanges {
  private readonly handlers: TurfChangeHandler[] = [];

  onChange(handler: TurfChangeHandler): void {
    this.handlers.push(handler);
  }

  async changed(m: EntityManager, turfIds: string[], campaignIds: string[] = []): Promise<void> {
    if (turfIds.length === 0 && campaignIds.length === 0) return;
    for (const handler of this.handlers) await handler(m, turfIds, campaignIds);
  }
}
