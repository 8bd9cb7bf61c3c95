import { Inject, Injectable, Logger } from '@nestjs/common';
import { notesConfig, NotesConfig } from '@app/config';
import { AppError, SealedText, SealedTextError } from '@app/core';

/** The context a note is sealed in: its own visit, so a note copied onto another visit does not open. */
export const noteContext = (visitId: string) => `visits.note:${visitId}`;

/**
 * Seals visit notes for storage and opens them for reading, with the keys of
 * NOTES_ENCRYPTION_KEYS. Only repositories call it: services and DTOs see plain text.
 */
@Injectable()
export class NoteSealer {
  private readonly logger = new Logger(NoteSealer.name);
  private readonly sealed: SealedText;

  constructor(@Inject(notesConfig.KEY) config: NotesConfig) {
    this.sealed = new SealedText(config.keys);
  }

  get currentKeyId(): string {
    return this.sealed.currentKeyId;
  }

  seal(visitId: string, note: string): string {
    return this.sealed.seal(note, noteContext(visitId));
  }

  /**
   * Opens a stored note, or fails loudly: a note that does not open was altered, moved from
   * another visit, or sealed with a key since removed, and showing nothing would hide that.
   */
  open(visitId: string, stored: string): string {
    try {
      return this.sealed.open(stored, noteContext(visitId));
    } catch (err) {
      if (!(err instanceof SealedTextError)) throw err;
      this.logger.error({ visitId, reason: err.reason }, 'a visit note cannot be opened');
      throw new AppError('NOTE_UNREADABLE', `The note of visit ${visitId} cannot be opened: ${err.message}`, {
        visitId,
        reason: err.reason,
      });
    }
  }

  /** Whether a stored note was sealed with a key other than the current one. */
  needsReseal(stored: string): boolean {
    return this.sealed.needsReseal(stored);
  }
}
