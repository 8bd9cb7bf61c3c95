import { Channel, ReminderKind } from '../entities/event.entity';

export interface Template {
  subject: string | null;
  body: string;
}

/**
 * The messages Porchlight ships, in English and Spanish; an organization may reword any of them.
 * Placeholders: {{name}} {{title}} {{when}} {{place}} {{calendarUrl}} {{cancelUrl}} {{organization}}.
 */
export const DEFAULT_TEMPLATES: Record<string, Record<ReminderKind, Record<Channel, Template>>> = {
  en: {
    confirmation: {
      email: {
        subject: "You're signed up: {{title}}",
        body: 'Hi {{name}},\n\nYou are signed up for {{title}}.\nWhen: {{when}}\nWhere: {{place}}\n\nAdd it to your calendar: {{calendarUrl}}\nCannot come? Cancel here: {{cancelUrl}}\n\n{{organization}}',
      },
      sms: { subject: null, body: '{{organization}}: you are signed up for {{title}}, {{when}}, at {{place}}. Cancel: {{cancelUrl}}' },
    },
    waitlisted: {
      email: {
        subject: 'On the waiting list: {{title}}',
        body: 'Hi {{name}},\n\n{{title}} is full, so you are on the waiting list. We will write as soon as a place opens.\nWhen: {{when}}\nWhere: {{place}}\n\nTo leave the list: {{cancelUrl}}\n\n{{organization}}',
      },
      sms: { subject: null, body: '{{organization}}: {{title}} is full; you are on the waiting list. Leave it: {{cancelUrl}}' },
    },
    promoted: {
      email: {
        subject: 'A place opened for you: {{title}}',
        body: 'Hi {{name}},\n\nA place opened and it is yours: {{title}}.\nWhen: {{when}}\nWhere: {{place}}\n\nCalendar: {{calendarUrl}}\nCannot come? {{cancelUrl}}\n\n{{organization}}',
      },
      sms: { subject: null, body: '{{organization}}: a place opened for you at {{title}}, {{when}}, {{place}}. Cancel: {{cancelUrl}}' },
    },
    reminder: {
      email: {
        subject: 'Reminder: {{title}}, {{when}}',
        body: 'Hi {{name}},\n\nA reminder: {{title}}.\nWhen: {{when}}\nWhere: {{place}}\n\nCalendar: {{calendarUrl}}\nCannot come? {{cancelUrl}}\n\n{{organization}}',
      },
      sms: { subject: null, body: '{{organization}}: reminder, {{title}} {{when}} at {{place}}. Cancel: {{cancelUrl}}' },
    },
    change: {
      email: {
        subject: 'Changed: {{title}}',
        body: 'Hi {{name}},\n\n{{title}} has changed. It is now:\nWhen: {{when}}\nWhere: {{place}}\n\nCalendar: {{calendarUrl}}\nCannot come any more? {{cancelUrl}}\n\n{{organization}}',
      },
      sms: { subject: null, body: '{{organization}}: CHANGE, {{title}} is now {{when}} at {{place}}. Cancel: {{cancelUrl}}' },
    },
    cancellation: {
      email: {
        subject: 'Cancelled: {{title}}',
        body: 'Hi {{name}},\n\n{{title}} ({{when}}, {{place}}) is cancelled. Thank you for signing up.\n\n{{organization}}',
      },
      sms: { subject: null, body: '{{organization}}: {{title}} ({{when}}) is CANCELLED.' },
    },
  },
  es: {
    confirmation: {
      email: {
        subject: 'Quedó inscrito: {{title}}',
        body: 'Hola {{name}}:\n\nQuedó inscrito en {{title}}.\nCuándo: {{when}}\nDónde: {{place}}\n\nAgréguelo a su calendario: {{calendarUrl}}\n¿No puede ir? Cancele aquí: {{cancelUrl}}\n\n{{organization}}',
      },
      sms: { subject: null, body: '{{organization}}: quedó inscrito en {{title}}, {{when}}, en {{place}}. Cancelar: {{cancelUrl}}' },
    },
    waitlisted: {
      email: {
        subject: 'En la lista de espera: {{title}}',
        body: 'Hola {{name}}:\n\n{{title}} está lleno; quedó en la lista de espera. Le escribiremos en cuanto haya un lugar.\nCuándo: {{when}}\nDónde: {{place}}\n\nPara salir de la lista: {{cancelUrl}}\n\n{{organization}}',
      },
      sms: { subject: null, body: '{{organization}}: {{title}} está lleno; quedó en la lista de espera. Salir: {{cancelUrl}}' },
    },
    promoted: {
      email: {
        subject: 'Hay un lugar para usted: {{title}}',
        body: 'Hola {{name}}:\n\nSe abrió un lugar y es suyo: {{title}}.\nCuándo: {{when}}\nDónde: {{place}}\n\nCalendario: {{calendarUrl}}\n¿No puede ir? {{cancelUrl}}\n\n{{organization}}',
      },
      sms: { subject: null, body: '{{organization}}: hay un lugar para usted en {{title}}, {{when}}, {{place}}. Cancelar: {{cancelUrl}}' },
    },
    reminder: {
      email: {
        subject: 'Recordatorio: {{title}}, {{when}}',
        body: 'Hola {{name}}:\n\nLe recordamos: {{title}}.\nCuándo: {{when}}\nDónde: {{place}}\n\nCalendario: {{calendarUrl}}\n¿No puede ir? {{cancelUrl}}\n\n{{organization}}',
      },
      sms: { subject: null, body: '{{organization}}: recordatorio, {{title}} {{when}} en {{place}}. Cancelar: {{cancelUrl}}' },
    },
    change: {
      email: {
        subject: 'Cambio: {{title}}',
        body: 'Hola {{name}}:\n\n{{title}} cambió. Ahora es:\nCuándo: {{when}}\nDónde: {{place}}\n\nCalendario: {{calendarUrl}}\n¿Ya no puede ir? {{cancelUrl}}\n\n{{organization}}',
      },
      sms: { subject: null, body: '{{organization}}: CAMBIO, {{title}} ahora es {{when}} en {{place}}. Cancelar: {{cancelUrl}}' },
    },
    cancellation: {
      email: {
        subject: 'Cancelado: {{title}}',
        body: 'Hola {{name}}:\n\n{{title}} ({{when}}, {{place}}) se canceló. Gracias por inscribirse.\n\n{{organization}}',
      },
      sms: { subject: null, body: '{{organization}}: {{title}} ({{when}}) se CANCELÓ.' },
    },
  },
};

export const TEMPLATE_LANGUAGES = Object.keys(DEFAULT_TEMPLATES);
