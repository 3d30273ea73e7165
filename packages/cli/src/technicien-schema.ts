// An update's file is checked against the spec's own `Technicien` schema before anything is sent, by the
// contract validator the tests and the sandbox use (@techapi/openapi-validator, bundled by tsup); the
// bundled spec is inlined in the build. Nothing of the schema is written again here.
import { createSpecValidator, formatViolation } from '@techapi/openapi-validator';
import spec from '../../../dist/specs/technicien.json' with { type: 'json' };

let validator: ReturnType<typeof createSpecValidator> | undefined;

/** What is wrong with `technicien` for the spec, one line a problem (`/id: must be integer`); none when valid. */
export function checkTechnicien(technicien: unknown): string[] {
  validator ??= createSpecValidator(spec);
  return validator
    .validate(spec.components.schemas.Technicien, technicien)
    .map((violation) => formatViolation(violation).replace(/^\s*request body\s*/, '').trim());
}
