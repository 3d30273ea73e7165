/** Checks and formats the inputs that travel as strings in the query. Each returns a value or an error message. */

type Checked = { value: string; error?: undefined } | { value?: undefined; error: string };

/** The API takes several addresses in one parameter, separated by `;`. */
export function joinEmails(emails: readonly string[]): Checked {
  // JS callers can pass anything: refuse it with a typed error rather than a TypeError.
  if (!Array.isArray(emails) || emails.length === 0) return { error: 'emails: give a list of at least one e-mail address' };
  // Plain loops and character checks, no regex or copies: this runs on every call.
  for (let index = 0; index < emails.length; index++) {
    const email = emails[index];
    // The usual case: a string that starts with a visible ASCII character and holds no separator.
    if (typeof email === 'string' && email.charCodeAt(0) > 32 && email.charCodeAt(0) < 127 && !email.includes(';')) continue;
    const text = String(email);
    if (!text.trim()) return { error: `emails[${index}] is empty` };
    if (text.includes(';')) return { error: `emails[${index}] contains ";", the separator of the emails parameter: "${text}"` };
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
  // A day the calendar does not have (2025-02-30) is refused. Checked by character and arithmetic, with no
  // regex or Date: this runs on every call.
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  if (value.length === 10 && value[4] === '-' && value[7] === '-' && year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month)) {
    return { value };
  }
  return { error: `dateFin is an invalid Date, or not a real date written yyyy-MM-dd: "${value}"` };
}

/** The number written by `length` decimal digits at `start`, or -1 if any of them is not a digit. */
function digits(text: string, start: number, length: number): number {
  let number = 0;
  for (let index = start; index < start + length; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    number = number * 10 + digit;
  }
  return number;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS[month - 1] as number);
}
