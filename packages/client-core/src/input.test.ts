// The checks that refuse a call's input before anything is sent: each message names the argument and says
// what it got, since that is all a caller sees of the mistake.
import { describe, expect, it } from 'vitest';
import { checkInput, InputError, jsonBody, notScalar, pathParam, refusal, scalarQuery, toJson } from './input.js';

describe('the input checks', () => {
  it('an InputError is named so, and a refusal is one `invalid-input` attempt with status 0', () => {
    expect(new InputError('x').name).toBe('InputError');
    expect(refusal('createTechnician', 'email must be a non-empty string, got undefined')).toEqual({
      error: { kind: 'invalid-input', operation: 'createTechnician', status: 0, message: 'email must be a non-empty string, got undefined', attempts: 1 },
    });
  });

  it('checkInput returns the value, turns an InputError into a refusal, and lets any other error through', () => {
    expect(checkInput('op', () => 42)).toEqual({ value: 42 });
    expect(
      checkInput('op', () => {
        throw new InputError('body must be an object, got null');
      }),
    ).toEqual(refusal('op', 'body must be an object, got null'));
    const bug = new TypeError('a bug, not an input');
    expect(() =>
      checkInput('op', () => {
        throw bug;
      }),
    ).toThrow(bug);
  });

  it('a JSON body must be an object or a list that JSON can hold', () => {
    expect(toJson({ a: 1 }, 'technician')).toBe('{"a":1}');
    expect(toJson([1], 'technicians')).toBe('[1]');
    expect(jsonBody('payload')({ b: [2] })).toBe('{"b":[2]}');
    const refused = (value: unknown) => {
      try {
        toJson(value, 'technician');
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refused(null)).toBe('technician must be an object, got null');
    expect(refused(undefined)).toBe('technician must be an object, got undefined');
    expect(refused('text')).toBe('technician must be an object, got a string');
    expect(refused(7)).toBe('technician must be an object, got a number (7)');
    expect(refused({ n: 1n })).toBe('technician cannot be sent as JSON: Do not know how to serialize a BigInt');
    const cycle: { self?: unknown } = {};
    cycle.self = cycle;
    expect(refused(cycle)).toMatch(/^technician cannot be sent as JSON: Converting circular structure to JSON/);
  });

  it('a path parameter must be a non-empty string; the message says what came instead', () => {
    expect(pathParam('a@example.com', 'email')).toBe('a@example.com');
    const cases: [unknown, string][] = [
      ['', 'an empty string'],
      [undefined, 'undefined'],
      [null, 'null'],
      [42, 'a number (42)'],
      [true, 'a boolean (true)'],
      [['a'], 'an array'],
      [{ email: 'a' }, 'an object'],
      [() => 'a', 'a function'],
      [Symbol('a'), 'a symbol'],
      [10n, 'a bigint'],
    ];
    for (const [value, got] of cases) expect(() => pathParam(value, 'email')).toThrow(new InputError(`email must be a non-empty string, got ${got}`));
  });

  it('a query value must be a scalar (or undefined, to leave it out)', () => {
    for (const value of [undefined, null, '', 'x', 0, 1.5, false, 3n]) expect(notScalar(value, 'dateFin')).toBeUndefined();
    expect(notScalar({}, 'dateFin')).toBe('dateFin must be a string or a number, got an object');
    expect(notScalar([1], 'emails')).toBe('emails must be a string or a number, got an array');
    expect(notScalar(() => 1, 'emails')).toBe('emails must be a string or a number, got a function');
    expect(notScalar(Symbol('s'), 'emails')).toBe('emails must be a string or a number, got a symbol');
    const query = { emails: 'a@example.com', customerId: 3, skipped: undefined };
    expect(scalarQuery(query)).toBe(query);
    expect(() => scalarQuery({ emails: 'a', codeExploitant: { code: 'E' } })).toThrow(new InputError('codeExploitant must be a string or a number, got an object'));
  });
});
