import { Injectable } from '@nestjs/common';
import { Clock } from '@app/core';
import { SupporterRetentionRepository } from './supporter-retention.repository';

/** RSVPs changed per statement. */
const BATCH = 1000;

/** Forgets supporters' names and contact details once their event is past the organization's retention. */
@Injectable()
export class SupporterRetentionService {
  constructor(
    private readonly repository: SupporterRetentionRepository,
    private readonly clock: Clock,
  ) {}

  async purgeContacts(): Promise<number> {
    const now = this.clock.now();
    let total = 0;
    for (;;) {
      const n = await this.repository.clearContacts(now, BATCH);
      total += n;
      if (n < BATCH) return total;
    }
  }
}
