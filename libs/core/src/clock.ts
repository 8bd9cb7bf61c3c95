import { Injectable } from '@nestjs/common';

/** The only source of "now" in services, so that tests can move time. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
