/** Checks and formats the inputs that travel as strings in the query. Each returns a value or an error message. */

type Checked = { value: string; error?: undefined } | { value?: undefined; error: string };

/** The API takes several addresses in one parameter, separated by `;`. */
export function joinEmails(emails: readonly string[]): Checked {
  // JS callers can pass anything: refuse it with a typed error rather than a TypeError.
  if (!Array.isArray(emails)) return { error: 'emails: give a list of e-mail addresses' };
  if (emails.length === 0) return { error: 'emails: give at least one e-mail address' };
  for (const [index, email] of emails.entries()) {
    if (email.trim() === '') return { error: `emails[${index}] is empty` };
    if (email.includes(';')) {
      return { error: `emails[${index}] contains ";", the separator of the emails parameter: "${email}"` };
    }
  }
  return { value: emails.join(';') };
}

/** `dateFin` goes on the wire as `yyyy-MM-dd`. A `Date` gives its local calendar day. */
export function formatDateFin(dateFin: Date | string): Checked {
  if (dateFin instanceof Date) {
    if (Number.isNaN(dateFin.getTime())) return { error: 'dateFin is an invalid Date' };
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    return { value: `${pad(dateFin.getFullYear(), 4)}-${pad(dateFin.getMonth() + 1)}-${pad(dateFin.getDate())}` };
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateFin);
  const [year, month, day] = match ? match.slice(1).map(Number) : [];
  const date = new Date(0);
  if (year !== undefined && month !== undefined && day !== undefined) date.setUTCFullYear(year, month - 1, day);
  // A day the calendar does not have (2025-02-30) rolls over into another month: refuse it.
  if (!match || date.getUTCMonth() !== (month ?? 0) - 1 || date.getUTCDate() !== day) {
    return { error: `dateFin must be a Date or a real date written yyyy-MM-dd, got "${dateFin}"` };
  }
  return { value: dateFin };
}
