import { FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, NetworkError } from '../../api/client';
import { newId } from '../../api/ids';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Member, Route, RouteStop, Turf } from './model';
import { turfLabel } from '../../i18n';

/** The outcomes a visit can have, with the letter the printed walk list uses for each (the same in both languages). */
const OUTCOMES = [
  ['not_home', 'N'],
  ['talked', 'T'],
  ['refused', 'R'],
  ['moved', 'M'],
  ['no_access', 'A'],
  ['do_not_knock', 'D'],
  ['come_back_later', 'L'],
] as const;
type Outcome = (typeof OUTCOMES)[number][0];

/** Languages of the conversation that can be noted (ISO 639-1, as the API stores them). */
const LANGUAGES = ['en', 'es'] as const;

/** The API takes at most this many doors in one sheet. */
const MAX_ENTRIES = 500;

interface Row {
  outcome: Outcome | '';
  language: string;
  followUp: boolean;
}

interface PaperResult {
  sheetId: string;
  created: number;
  duplicate: number;
}

const EMPTY: Row = { outcome: '', language: '', followUp: false };

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment as the "YYYY-MM-DDTHH:mm" a datetime-local input shows, on this computer's clock. */
const localInput = (d: Date) =>
  `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

/** The datetime-local value as an instant (read on this computer's clock), or null if it is not a time. */
function parseLocal(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

const inFuture = (d: Date) => d.getTime() > Date.now();

const doorLabel = (s: RouteStop) => `${s.number} ${s.street}${s.unit ? `, ${s.unit}` : ''}`;

/** The fields a refused sheet names (the API lists them under details.fields, e.g. `entries.3.outcome`). */
function fieldsInError(error: unknown): Record<string, string[]> {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return {};
  return (error.details as { fields?: Record<string, string[]> } | undefined)?.fields ?? {};
}

/**
 * Results of a printed walk list typed in by an organizer or coordinator: a button that opens the
 * sheet's form under the route. Closing the form keeps what was typed; a recorded or discarded
 * sheet makes room for a new one (with a new sheet id).
 */
export function PaperEntry({ turf, route, members }: { turf: Turf; route: Route; members: Member[] }) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  // Counts the sheets: the form is keyed by it, so a new sheet starts empty, with a new id and "now".
  const [sheet, setSheet] = useState(0);
  const [started, setStarted] = useState(false);
  const [recorded, setRecorded] = useState<string | null>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  const finish = (text: string | null) => {
    setOpen(false);
    setStarted(false);
    setSheet((n) => n + 1);
    setRecorded(text);
    // The form (and the button that closed it) goes away: the focus returns to the button that opens it.
    toggle.current?.focus();
  };

  return (
    <div className="stack" data-testid="paper-entry">
      <div>
        <button
          type="button"
          ref={toggle}
          aria-expanded={open}
          aria-controls={started ? `${id}-form` : undefined}
          onClick={() => {
            setRecorded(null);
            setStarted(true);
            setOpen(!open);
          }}
        >
          {t('console.route.paper.open')}
        </button>
        <div role="status">{recorded && <p className="success">{recorded}</p>}</div>
      </div>
      {started && (
        <PaperSheet key={sheet} formId={`${id}-form`} hidden={!open} turf={turf} route={route} members={members} onDone={finish} />
      )}
    </div>
  );
}

function PaperSheet({
  formId,
  hidden,
  turf,
  route,
  members,
  onDone,
}: {
  formId: string;
  hidden: boolean;
  turf: Turf;
  route: Route;
  members: Member[];
  /** The sheet is over: recorded (with the sentence to show) or discarded (null). */
  onDone: (text: string | null) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  // Made once per sheet and kept until it is recorded: sending it again after a lost answer stores nothing twice.
  const [sheetId] = useState(newId);
  const active = members.filter((m) => m.status === 'active').sort((x, y) => x.displayName.localeCompare(y.displayName));
  const assignee = turf.assignment?.volunteerIds.find((v) => active.some((m) => m.userId === v));
  // Until someone is chosen, the route's assignee (once the members are loaded).
  const [chosenWalker, setWalkedBy] = useState<string | null>(null);
  const walkedBy = chosenWalker ?? assignee ?? '';
  const [walkedAt, setWalkedAt] = useState(() => localInput(new Date()));
  const [rows, setRows] = useState<Record<string, Row>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // The doors of the last sheet sent, in the order sent: the API names a bad entry by its index.
  const [sent, setSent] = useState<string[]>([]);
  const heading = useRef<HTMLHeadingElement>(null);

  // Opening the form takes the focus to its heading, as a new part of the panel.
  useEffect(() => {
    if (!hidden) heading.current?.focus();
  }, [hidden]);

  const row = (doorId: string) => rows[doorId] ?? EMPTY;
  const change = (doorId: string, patch: Partial<Row>) => setRows((all) => ({ ...all, [doorId]: { ...(all[doorId] ?? EMPTY), ...patch } }));
  const chosen = route.stops.filter((s) => row(s.doorId).outcome);
  const typed = chosen.length > 0 || chosenWalker !== null || route.stops.some((s) => row(s.doorId).language || row(s.doorId).followUp);

  // What the API refused, by door (entries.N.field) and by field of the sheet.
  const fields = fieldsInError(error);
  const byDoor = new Map<string, Set<string>>();
  const sheetProblems: string[] = [];
  const stops = new Map(route.stops.map((s) => [s.doorId, s]));
  for (const [key, messages] of Object.entries(fields)) {
    const m = /^entries\.(\d+)\.(\w+)$/.exec(key);
    const stop = m ? stops.get(sent[Number(m[1])] ?? '') : undefined;
    if (m && stop) {
      byDoor.set(stop.doorId, (byDoor.get(stop.doorId) ?? new Set()).add(m[2]));
      const known = ['outcome', 'language', 'followUp', 'doorId'].includes(m[2]);
      sheetProblems.push(
        known
          ? t(`console.route.paper.invalid.${m[2]}`, { door: doorLabel(stop) })
          : t('console.route.paper.invalid.other', { field: doorLabel(stop), message: messages.join(' ') }),
      );
    } else if (key !== 'walkedBy' && key !== 'walkedAt') {
      sheetProblems.push(t('console.route.paper.invalid.other', { field: key, message: messages.join(' ') }));
    }
  }
  const rowProblem = (doorId: string, field: string) => byDoor.get(doorId)?.has(field) || byDoor.get(doorId)?.has('doorId');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setError(null);
    const loose = route.stops.filter((s) => !row(s.doorId).outcome && (row(s.doorId).language || row(s.doorId).followUp));
    if (loose.length > 0)
      return setProblem(t('console.route.paper.detailsWithoutOutcome', { count: loose.length, doors: loose.map(doorLabel).join('; ') }));
    if (chosen.length === 0) return setProblem(t('console.route.paper.nothing'));
    if (chosen.length > MAX_ENTRIES) return setProblem(t('console.route.paper.tooMany', { max: MAX_ENTRIES }));
    if (!walkedBy) return setProblem(t('console.route.paper.needWalker'));
    const at = parseLocal(walkedAt);
    if (!at) return setProblem(t('console.route.paper.badTime'));
    if (inFuture(at)) return setProblem(t('console.route.paper.futureTime'));
    const entries = chosen.map((s) => {
      const r = row(s.doorId);
      return {
        doorId: s.doorId,
        outcome: r.outcome,
        ...(r.language ? { language: r.language } : {}),
        ...(r.followUp ? { followUp: true } : {}),
      };
    });
    setSent(entries.map((x) => x.doorId));
    setBusy(true);
    try {
      const result = await api<PaperResult>('POST', `/turfs/${turf.id}/paper-visits`, {
        body: { sheetId, walkedBy, walkedAt: at.toISOString(), entries },
      });
      const visits = t('console.route.paper.recorded', { count: result.created });
      onDone(
        result.duplicate > 0
          ? t('console.route.paper.doneWithDuplicates', {
              recorded: visits,
              already: t('console.route.paper.already', { count: result.duplicate }),
            })
          : t('console.route.paper.done', { recorded: visits }),
      );
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const discard = () => {
    if (typed && !window.confirm(t('console.route.paper.confirmDiscard'))) return;
    onDone(null);
  };

  return (
    <form
      id={formId}
      hidden={hidden}
      className="stack paper-sheet"
      onSubmit={(e) => void submit(e)}
      aria-labelledby={`${id}-title`}
      noValidate
    >
      <h3 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {t('console.route.paper.title')}
      </h3>
      <p className="muted small">{t('console.route.paper.hint')}</p>
      <div className="form-field">
        <label htmlFor={`${id}-by`}>{t('console.route.paper.walkedBy')}</label>
        <select
          id={`${id}-by`}
          required
          value={walkedBy}
          onChange={(e) => setWalkedBy(e.target.value)}
          aria-invalid={fields.walkedBy ? true : undefined}
          aria-describedby={fields.walkedBy ? `${id}-by-error` : undefined}
        >
          <option value="">{t('console.route.paper.choose')}</option>
          {active.map((m) => (
            <option key={m.userId} value={m.userId}>
              {t('console.route.paper.memberOption', { name: m.displayName, role: t(`roles.${m.role}`) })}
            </option>
          ))}
        </select>
        {fields.walkedBy && (
          <p id={`${id}-by-error`} className="error small">
            {t('console.route.paper.invalid.walkedBy')}
          </p>
        )}
      </div>
      <div className="form-field">
        <label htmlFor={`${id}-at`}>{t('console.route.paper.walkedAt')}</label>
        <input
          id={`${id}-at`}
          type="datetime-local"
          required
          value={walkedAt}
          onChange={(e) => setWalkedAt(e.target.value)}
          aria-invalid={fields.walkedAt ? true : undefined}
          aria-describedby={`${id}-at-help${fields.walkedAt ? ` ${id}-at-error` : ''}`}
        />
        <small id={`${id}-at-help`} className="muted">
          {t('console.route.paper.walkedAtHelp')}
        </small>
        {fields.walkedAt && (
          <p id={`${id}-at-error`} className="error small">
            {t('console.route.paper.invalid.walkedAt')}
          </p>
        )}
      </div>
      <div className="table-scroll paper-table-scroll">
        <table className="paper-table">
          <caption className="visually-hidden">{t('console.route.paper.caption', { name: turfLabel(turf.name) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('console.route.paper.order')}</th>
              <th scope="col">{t('console.route.paper.address')}</th>
              <th scope="col">{t('console.route.paper.unit')}</th>
              <th scope="col">{t('console.route.paper.outcome')}</th>
              <th scope="col">{t('console.route.paper.language')}</th>
              <th scope="col">{t('console.route.paper.followUp')}</th>
            </tr>
          </thead>
          <tbody>
            {route.stops.map((s) => {
              const r = row(s.doorId);
              const door = doorLabel(s);
              return (
                <tr key={s.doorId} className={byDoor.has(s.doorId) ? 'invalid' : undefined} data-door-id={s.doorId}>
                  <td>{s.position + 1}</td>
                  <th scope="row">
                    {s.number} {s.street}
                  </th>
                  <td>{s.unit ?? ''}</td>
                  <td>
                    <select
                      value={r.outcome}
                      onChange={(e) => change(s.doorId, { outcome: e.target.value as Outcome | '' })}
                      aria-label={t('console.route.paper.outcomeAt', { door })}
                      aria-invalid={rowProblem(s.doorId, 'outcome') ? true : undefined}
                    >
                      <option value="">{t('console.route.paper.notRecorded')}</option>
                      {OUTCOMES.map(([o, code]) => (
                        <option key={o} value={o}>
                          {t('console.route.paper.outcomeOption', { code, label: t(`field.outcomes.${o}`) })}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select
                      value={r.language}
                      onChange={(e) => change(s.doorId, { language: e.target.value })}
                      aria-label={t('console.route.paper.languageAt', { door })}
                      aria-invalid={rowProblem(s.doorId, 'language') ? true : undefined}
                    >
                      <option value="">{t('console.route.paper.languageNone')}</option>
                      {LANGUAGES.map((l) => (
                        <option key={l} value={l}>
                          {t(`console.route.paper.languages.${l}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      className="paper-check"
                      checked={r.followUp}
                      onChange={(e) => change(s.doorId, { followUp: e.target.checked })}
                      aria-label={t('console.route.paper.followUpAt', { door })}
                      aria-invalid={rowProblem(s.doorId, 'followUp') ? true : undefined}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <ErrorMessage error={error} />
      {sheetProblems.length > 0 && (
        <ul className="error">
          {sheetProblems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {error instanceof NetworkError && <p className="muted">{t('console.route.paper.resendHint')}</p>}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {t('console.route.paper.submit', { count: chosen.length })}
        </button>
        <button type="button" disabled={busy} onClick={discard}>
          {t('console.route.paper.discard')}
        </button>
      </div>
    </form>
  );
}
