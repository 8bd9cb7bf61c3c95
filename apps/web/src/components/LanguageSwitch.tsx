import { useTranslation } from 'react-i18next';
import { Language, LANGUAGES, setLanguage } from '../i18n';

const NAMES: Record<Language, string> = { en: 'English', es: 'Español' };

/** Language names are written in their own language, so each can be found by its speakers. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('common.language')}</span>
      <select value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)} data-testid="language-switch">
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
