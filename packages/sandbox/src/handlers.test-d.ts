// Type-level tests of the handlers' typing (checked by the package's `tsc`, nothing runs): a handler is given
// what its operation takes, and an answer its operation does not document does not compile.
import type { operations as takeControl } from './take-control/spec-types.js';
import type { operations as technicien } from './technicien/spec-types.js';
import { expectTypeOf } from 'vitest';
import type { Answer, Handler, Handlers, OperationRequest } from './handlers.js';

type Create = takeControl['createTechnician'];
const error = { status: 0, message: 'no' };

// The request: the body, path and query parameters as the operation documents them.
expectTypeOf<OperationRequest<Create>['body']>().toEqualTypeOf<takeControl['createTechnician']['requestBody']['content']['application/json']>();
expectTypeOf<OperationRequest<takeControl['setTechnicianStatus']>['pathParams']>().toEqualTypeOf<{ techUsername: string }>();
expectTypeOf<OperationRequest<technicien['grantClientAccess']>['body']>().toEqualTypeOf<undefined>();
expectTypeOf<Parameters<OperationRequest<technicien['grantClientAccess']>['query']['get']>[0]>().toEqualTypeOf<'emails' | 'codeExploitant' | 'dateFin'>();
expectTypeOf<Parameters<OperationRequest<Create>['query']['get']>[0]>().toEqualTypeOf<never>();

// The answer: one of the documented status/body pairs.
expectTypeOf<Answer<Create>['status']>().toEqualTypeOf<200 | 400 | 401 | 403 | 409 | 429>();
expectTypeOf<{ status: 409; body: typeof error }>().toMatchTypeOf<Answer<Create>>();
// @ts-expect-error 201 is not documented for createTechnician
expectTypeOf<{ status: 201; body: { result: 'SUCCESS'; details: {} } }>().toMatchTypeOf<Answer<Create>>();
// @ts-expect-error the 200 body is an OperationResult, which has `details`
expectTypeOf<{ status: 200; body: { result: 'SUCCESS' } }>().toMatchTypeOf<Answer<Create>>();
// @ts-expect-error grant-client-access documents no body for 201
expectTypeOf<{ status: 201; body: { granted: true } }>().toMatchTypeOf<Answer<technicien['grantClientAccess']>>();
expectTypeOf<{ status: 201 }>().toMatchTypeOf<Answer<technicien['grantClientAccess']>>();

// Every operation needs its handler, and a handler fits only its own operation.
const create: Handler<Create, null> = () => ({ status: 200, body: { result: 'SUCCESS', details: {} } });
// @ts-expect-error setTechnicianStatus and createTechnicians have no handler
const missing: Handlers<takeControl, null> = { createTechnician: create };
// @ts-expect-error createTechnicians takes an array of technicians, not one
const swapped: Pick<Handlers<takeControl, null>, 'createTechnicians'> = { createTechnicians: create };
void [missing, swapped];
