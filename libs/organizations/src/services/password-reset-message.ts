import { Language } from '../entities';

export interface PasswordResetMessage {
  subject: string;
  body: string;
}

/** The e-mail that carries a password reset link, in the person's language. */
export function passwordResetMessage(
  language: Language,
  v: { displayName: string; url: string; validMinutes: number },
): PasswordResetMessage {
  if (language === 'es') {
    return {
      subject: 'Restablezca su contraseña de Porchlight',
      body: [
        `Hola, ${v.displayName}:`,
        '',
        'Alguien (esperamos que usted) pidió restablecer la contraseña de su cuenta de Porchlight.',
        `Para elegir una contraseña nueva, abra este enlace en los próximos ${v.validMinutes} minutos:`,
        '',
        v.url,
        '',
        'El enlace funciona una sola vez. Al cambiar la contraseña se cierran todas sus sesiones abiertas.',
        'Si usted no lo pidió, ignore este mensaje: su contraseña no cambia.',
        '',
      ].join('\n'),
    };
  }
  return {
    subject: 'Reset your Porchlight password',
    body: [
      `Hello ${v.displayName},`,
      '',
      'Someone (we hope it was you) asked to reset the password of your Porchlight account.',
      `To choose a new password, open this link within the next ${v.validMinutes} minutes:`,
      '',
      v.url,
      '',
      'The link works once. Choosing a new password signs you out everywhere.',
      'If you did not ask for this, ignore this message: your password stays as it is.',
      '',
    ].join('\n'),
  };
}
