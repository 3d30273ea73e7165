import { describe, expect, it } from 'vitest';
import { formatDateFin, joinEmails } from './input.js';

// The checks grantClientAccess makes on every call, before anything is sent.
describe('formatDateFin', () => {
  it.each(['2026-12-31', '2024-02-29', '2000-02-29', '2026-01-01', '1999-11-30'])('accepts the real date %s', (date) => {
    expect(formatDateFin(date)).toEqual({ value: date });
  });

  it.each(['2025-02-29', '2100-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '2026-12-00', '2026-1-01', '2026-12-31x', '2026/12/31', 'x026-12-31', ''])(
    'refuses %j',
    (date) => {
      expect(formatDateFin(date).error).toMatch(/^dateFin is an invalid Date, or not a real date/);
    },
  );

  it("gives a Date's local calendar day, and refuses an invalid Date", () => {
    expect(formatDateFin(new Date(2026, 11, 31, 23, 59))).toEqual({ value: '2026-12-31' });
    expect(formatDateFin(new Date(2024, 1, 29, 0, 1))).toEqual({ value: '2024-02-29' });
    expect(formatDateFin(new Date(Number.NaN)).error).toMatch(/invalid Date/);
  });
});

describe('joinEmails', () => {
  it('joins the addresses with ";"', () => {
    expect(joinEmails(['tech1@example.com', 'tech2@example.com'])).toEqual({ value: 'tech1@example.com;tech2@example.com' });
  });

  it.each([
    [[], /at least one/],
    [['tech1@example.com', ''], /^emails\[1\] is empty/],
    [['  '], /^emails\[0\] is empty/],
    [['\u00a0'], /^emails\[0\] is empty/],
    [['a@example.com;b@example.com'], /^emails\[0\] contains ";"/],
    [[' a@example.com;b@example.com'], /^emails\[0\] contains ";"/],
  ])('refuses %j', (emails, message) => {
    expect(joinEmails(emails).error).toMatch(message);
  });
});
