/**
 * What a request log line says of the address: the path without its query string, and with
 * every secret a link carries masked. A link's token is as good as a password to whoever reads
 * it (an RSVP's cancel page, a calendar feed, a public event's signup), so logs name the route
 * and never the token.
 */
const SECRET_SEGMENTS: [RegExp, string][] = [
  // An RSVP's link: /public/rsvps/{id}/{token}[/cancel|/calendar.ics], and its page /rsvp/{id}/{token}.
  [/^(\/public\/rsvps\/[^/]*\/)[^/]+/i, '$1:token'],
  [/^(\/rsvp\/[^/]*\/)[^/]+/i, '$1:token'],
  // A member's calendar feed: /public/calendar/{token}.ics.
  [/^(\/public\/calendar\/)[^/]+?(\.ics)?(?=\/|$)/i, '$1:token$2'],
  // A public event's signup: /public/events/{token}[/rsvps], and its page /e/{token}.
  [/^(\/public\/events\/)[^/]+/i, '$1:token'],
  [/^(\/e\/)[^/]+/i, '$1:token'],
  // Invites and password resets carry their token in the body or the query; masked here too should a link ever put it in the path.
  [/^(\/(?:join|reset-password|invites\/accept|invites\/preview|auth\/password-reset\/confirm)\/)[^/]+/i, '$1:token'],
];

export function pathForLog(url: string | undefined): string {
  let path = (url ?? '').split('?')[0];
  for (const [pattern, replacement] of SECRET_SEGMENTS) {
    if (pattern.test(path)) {
      path = path.replace(pattern, replacement);
      break;
    }
  }
  return path;
}
