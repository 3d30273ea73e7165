/** Checks and formats the inputs that travel as strings in the query. Each returns a value or an error message. */

type Checked = { value: string; error?: undefined } | { value?: undefined; error: string };

/** The API takes several addresses in one parameter, separated by `;`. */
export function joinEmails(emails: readonly string[]): Checked {
  // JS callers can pass anything: refuse it with a typed error rather than a TypeError.
  if (!Array.isArray(emails) || emails.length === 0) return { error: 'emails: give a list of at least one e-mail address' };
  const index = emails.findIndex((email) => !String(email).trim() || String(email).includes(';'));
  if (index === -1) return { value: emails.join(';') };
  const email = String(emails[index]);
  return { error: email.trim() ? `emails[${index}] contains ";", the separator of the emails parameter: "${email}"` : `emails[${index}] is empty` };
}

/** `dateFin` goes on the wire as `yyyy-MM-dd`. A `Date` gives its local calendar day. */
export function formatDateFin(dateFin: Date | string): Checked {
  // A Date's local calendar day: shifted by its offset, its UTC day is the local one.
  const value =
    dateFin instanceof Date && !Number.isNaN(dateFin.getTime())
      ? new Date(dateFin.getTime() - dateFin.getTimezoneOffset() * 60_000).toISOString().slice(0, 10)
      : String(dateFin);
  // A day the calendar does not have (2025-02-30) rolls over into another day: refuse it.
  const time = /^\d{4}-\d\d-\d\d$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (!Number.isNaN(time) && new Date(time).toISOString().startsWith(value)) return { value };
  return { error: `dateFin is an invalid Date, or not a real date written yyyy-MM-dd: "${value}"` };
}
