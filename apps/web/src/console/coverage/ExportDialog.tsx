/**
 * Asks an organizer for their password again and a reason before a door-level export, in a modal
 * <dialog>: the browser keeps focus inside it, Escape closes it, and focus goes back to the button
 * that opened it. The password and the reason leave only in the export's POST.
 */
import { FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, download } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';

export const REASON_MIN = 10;
export const REASON_MAX = 500;

export function ExportDialog({ path, fileName, onClose }: { path: string; fileName: string; onClose: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const reasonInput = useRef<HTMLTextAreaElement>(null);
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<{ password?: string; reason?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = dialog.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (d && !d.open) d.showModal();
    passwordInput.current?.focus();
    return () => {
      if (d?.open) d.close();
      opener?.focus();
    };
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = reason.trim();
    const found = {
      password: password === '' ? t('dashboard.export.passwordMissing') : undefined,
      reason: trimmed.length < REASON_MIN ? t('dashboard.export.reasonTooShort') : undefined,
    };
    setProblems(found);
    setError(null);
    if (found.password) return passwordInput.current?.focus();
    if (found.reason) return reasonInput.current?.focus();
    setBusy(true);
    try {
      await download(path, fileName, { body: { password, reason: trimmed } });
      onClose();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === 'REAUTH_FAILED') {
        setPassword('');
        passwordInput.current?.focus();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      className="dash-export-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-intro`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <h2 id={`${id}-title`}>{t('dashboard.export.confirmTitle')}</h2>
        <p id={`${id}-intro`}>{t('dashboard.export.confirmIntro')}</p>
        <p className="muted">{t('dashboard.export.keepSafe')}</p>
        <label>
          {t('dashboard.export.password')}
          <input
            ref={passwordInput}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={problems.password ? true : undefined}
            aria-describedby={problems.password ? `${id}-password-problem` : undefined}
          />
        </label>
        {problems.password && (
          <p className="error" id={`${id}-password-problem`}>
            {problems.password}
          </p>
        )}
        <label>
          {t('dashboard.export.reason')}
          <textarea
            ref={reasonInput}
            rows={3}
            required
            minLength={REASON_MIN}
            maxLength={REASON_MAX}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={problems.reason ? true : undefined}
            aria-describedby={`${id}-reason-hint${problems.reason ? ` ${id}-reason-problem` : ''}`}
          />
        </label>
        <p className="muted" id={`${id}-reason-hint`}>
          {t('dashboard.export.reasonHint')}
        </p>
        {problems.reason && (
          <p className="error" id={`${id}-reason-problem`}>
            {problems.reason}
          </p>
        )}
        <ErrorMessage error={error} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('dashboard.export.downloading') : t('dashboard.export.download')}
          </button>
          <button type="button" onClick={onClose}>
            {t('dashboard.export.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
