// The rows of an import are checked against the spec's own `TechnicianCreate` schema, carried in the
// build (tsup inlines the bundled spec): nothing of it is written again here.
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import spec from '../../../dist/specs/take-control.json' with { type: 'json' };

type Schema = { properties: Record<string, { type?: string; description?: string }>; required?: string[] };

export const technicianSchema = spec.components.schemas.TechnicianCreate as unknown as Schema;

/** The columns an import knows: the schema's properties, in the spec's order. */
export const technicianFields: readonly string[] = Object.keys(technicianSchema.properties);
export const requiredFields: readonly string[] = technicianSchema.required ?? [];

/** The default base URL: the spec's server, with its variables' defaults (or the region given). */
export function takeControlUrl(region?: string): string {
  const [server] = spec.servers as { url: string; variables?: Record<string, { default: string }> }[];
  if (!server) throw new Error('The Take Control spec has no server');
  return server.url.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'region' && region ? region : (server.variables?.[name]?.default ?? '')));
}

/** A problem with one field of a row: the column ('' for the row as a whole) and the reason, in words. */
export interface FieldProblem {
  column: string;
  reason: string;
}

export const describeProblem = (problem: FieldProblem) => (problem.column ? `${problem.column}: ${problem.reason}` : problem.reason);

let validate: ReturnType<InstanceType<typeof Ajv2020>['compile']> | undefined;

/** The problems of one technician against the spec's schema; none when it is valid. */
export function checkTechnician(technician: Record<string, unknown>): FieldProblem[] {
  if (!validate) {
    // Keywords OpenAPI adds (`examples` is JSON Schema's own) are allowed; formats are checked as the contract tests do.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    validate = ajv.compile(technicianSchema);
  }
  if (validate(technician)) return [];
  return (validate.errors ?? []).map(describe);
}

function describe(error: ErrorObject): FieldProblem {
  const column = error.keyword === 'required' ? String(error.params.missingProperty) : error.instancePath.replace(/^\//, '');
  if (error.keyword === 'required') return { column, reason: 'is required' };
  if (error.keyword === 'minLength' && error.params.limit === 1) return { column, reason: 'must not be empty' };
  if (error.keyword === 'format') return { column, reason: `is not a valid ${error.params.format}` };
  return { column, reason: error.message ?? error.keyword };
}
