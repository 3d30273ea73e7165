/** Checks and formats the inputs that travel as strings in the query. Each returns a value or an error message. */

type Checked = { value: string; error?: undefined } | { value?: undefined; error: string };

/** The API takes several addresses in one parameter, separated by `;`. */
export function joinEmails(emails: readonly string[]): Checked {
  // JS callers can pass anything: refuse it with a typed error rather than a TypeError.
  if (!Array.isArray(emails) || emails.length === 0) return { error: 'emails: give a list of at least one e-mail address' };
  // A plain loop: this runs on every call.
  for (let index = 0; index < emails.length; index++) {
    const email = String(emails[index]);
    if (!email.trim()) return { error: `emails[${index}] is empty` };
    if (email.includes(';')) return { error: `emails[${index}] contains ";", the separator of the emails parameter: "${email}"` };
  }
  return { value: emails.join(';') };
}

/** `dateFin` goes on the wire as `yyyy-MM-dd`. A `Date` gives its local calendar day. */
export function formatDateFin(dateFin: Date | string): Checked {
  // A Date's local calendar day: shifted by its offset, its UTC day is the local one.
  const value =
    dateFin instanceof Date && !Number.isNaN(dateFin.getTime())
      ? new Date(dateFin.getTime() - dateFin.getTimezoneOffset() * 60_000).toISOString().slice(0, 10)
      : String(dateFin);
  // A day the calendar does not have (2025-02-30) is refused. Checked by arithmetic: this runs on every call.
  const match = DATE.exec(value);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  if (match && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month)) return { value };
  return { error: `dateFin is an invalid Date, or not a real date written yyyy-MM-dd: "${value}"` };
}

const DATE = /^(\d{4})-(\d\d)-(\d\d)$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS[month - 1] as number);
}
