// The rows of an import are checked against the spec's own `TechnicianCreate` schema, carried in the
// build (tsup inlines the bundled spec), by the contract validator the tests and the sandbox use
// (@techapi/openapi-validator, bundled by tsup): nothing of the schema or of its checking is written again here.
import { createSpecValidator, type Violation } from '@techapi/openapi-validator';
import spec from '../../../dist/specs/take-control.json' with { type: 'json' };

type Schema = { properties: Record<string, { type?: string; description?: string }>; required?: string[] };

export const technicianSchema = spec.components.schemas.TechnicianCreate as unknown as Schema;

/** The columns an import knows: the schema's properties, in the spec's order. */
export const technicianFields: readonly string[] = Object.keys(technicianSchema.properties);

type Server = { url: string; variables?: Record<string, { default: string }> };
const server: Server =
  (spec.servers as Server[])[0] ??
  (() => {
    throw new Error('The Take Control spec has no server');
  })();

/** The region the spec's server defaults to (`us0`). */
export const defaultRegion = server.variables?.region?.default ?? '';

/** The default base URL: the spec's server, with its variables' defaults (or the region given). */
export function takeControlUrl(region?: string): string {
  return server.url.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'region' && region ? region : (server.variables?.[name]?.default ?? '')));
}

/** A problem with one field of a row: the column ('' for the row as a whole) and the reason, in words. */
export interface FieldProblem {
  column: string;
  reason: string;
}

export const describeProblem = (problem: FieldProblem) => (problem.column ? `${problem.column}: ${problem.reason}` : problem.reason);

let validator: ReturnType<typeof createSpecValidator> | undefined;

/** The problems of one technician against the spec's schema; none when it is valid. */
export function checkTechnician(technician: Record<string, unknown>): FieldProblem[] {
  validator ??= createSpecValidator(spec);
  return validator.validate(technicianSchema, technician).map(describe);
}

/** A finding in the CLI's words: the column (the field's JSON pointer, `/email`, without its slash) and the reason. */
function describe(violation: Violation): FieldProblem {
  const column = violation.field.replace(/^\//, '');
  const { keyword, params } = violation;
  if (keyword === 'required') return { column, reason: 'is required' };
  if (keyword === 'minLength' && params?.limit === 1) return { column, reason: 'must not be empty' };
  if (keyword === 'format') return { column, reason: `is not a valid ${String(params?.format)}` };
  return { column, reason: violation.message };
}

const emailOnly = { type: 'object', required: ['email'], properties: { email: technicianSchema.properties.email } };

/** The problems of a row that names a technician by email only (enable, disable): the spec's email rules. */
export function checkEmail(fields: Record<string, unknown>): FieldProblem[] {
  validator ??= createSpecValidator(spec);
  return validator.validate(emailOnly as never, fields).map(describe);
}
