// Type-level contract tests (vitest typecheck): what the spec forbids does not compile, and what the
// client returns has the spec's types. Nothing here runs; `tsc` judges it.
import { describe, expectTypeOf, it } from 'vitest';
import type { ApiError, BulkCreateReport, OperationResult, TakeControlClient, TechnicianCreate, components, operations } from './index.js';

declare const client: TakeControlClient;

type DataOf<Method extends (...args: never[]) => Promise<{ data?: unknown }>> = NonNullable<Awaited<ReturnType<Method>>['data']>;
type ErrorOf<Method extends (...args: never[]) => Promise<{ error?: unknown }>> = NonNullable<Awaited<ReturnType<Method>>['error']>;
type JsonBody<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;

describe('requests: what the spec forbids does not compile', () => {
  it('createTechnician needs an email and a name, both strings', () => {
    expectTypeOf(client.createTechnician).parameter(0).toEqualTypeOf<TechnicianCreate>();
    expectTypeOf<TechnicianCreate['email']>().toEqualTypeOf<string>();
    expectTypeOf<TechnicianCreate['name']>().toEqualTypeOf<string>();
    // @ts-expect-error `name` is required
    void client.createTechnician({ email: 'john.doe@example.com' });
    // @ts-expect-error `email` is required
    void client.createTechnician({ name: 'John Doe' });
    // @ts-expect-error `name` is a string
    void client.createTechnician({ email: 'john.doe@example.com', name: 42 });
    // @ts-expect-error `profile` is a string
    void client.createTechnician({ email: 'john.doe@example.com', name: 'John Doe', profile: ['admin'] });
  });

  it('createTechnicians takes a list of the same objects', () => {
    // @ts-expect-error a list, not one technician
    void client.createTechnicians({ email: 'tech1@example.com', name: 'Tech One' });
    // @ts-expect-error each item needs a name
    void client.createTechnicians([{ email: 'tech1@example.com' }]);
  });

  it('setTechnicianStatus takes `enabled` or `disabled`, nothing else', () => {
    expectTypeOf(client.setTechnicianStatus).parameter(1).toEqualTypeOf<'enabled' | 'disabled'>();
    // @ts-expect-error not a documented status
    void client.setTechnicianStatus('john.doe@example.com', 'paused');
    // @ts-expect-error the username is a string
    void client.setTechnicianStatus(42, 'enabled');
  });

  it('the typed http client wants the documented path parameter and body', () => {
    // @ts-expect-error `techUsername` is a required path parameter
    void client.http.PUT('/tech/{techUsername}', { body: { status: 'enabled' } });
    // @ts-expect-error the status must be documented
    void client.http.PUT('/tech/{techUsername}', { params: { path: { techUsername: 'a@example.com' } }, body: { status: 'on' } });
    // @ts-expect-error no such path in the spec
    void client.http.GET('/tech');
  });
});

describe('responses: the client returns the spec types', () => {
  it('createTechnician and setTechnicianStatus resolve with the 200 body, an OperationResult', () => {
    expectTypeOf<DataOf<typeof client.createTechnician>>().toEqualTypeOf<JsonBody<operations['createTechnician']['responses'][200]>>();
    expectTypeOf<DataOf<typeof client.setTechnicianStatus>>().toEqualTypeOf<OperationResult>();
    expectTypeOf<OperationResult['result']>().toEqualTypeOf<string>();
    expectTypeOf<OperationResult['details']>().toEqualTypeOf<{ [key: string]: unknown }>();
  });

  it("errors carry the operation's documented statuses (0: no response)", () => {
    expectTypeOf<ErrorOf<typeof client.createTechnician>>().toEqualTypeOf<ApiError<400 | 401 | 403 | 409 | 429>>();
    expectTypeOf<ErrorOf<typeof client.setTechnicianStatus>['status']>().toEqualTypeOf<400 | 401 | 403 | 404 | 429 | 0>();
    expectTypeOf<components['schemas']['Error']>().toEqualTypeOf<{ status: number; message: string }>();
  });

  it("createTechnicians reports each technician with the server's entry for it", () => {
    expectTypeOf(client.createTechnicians).returns.resolves.toEqualTypeOf<BulkCreateReport>();
    type Entry = components['schemas']['BulkCreateResult']['details']['technicians'][string];
    expectTypeOf<Entry['result']>().toEqualTypeOf<string>();
    expectTypeOf<Extract<BulkCreateReport['results'][number], { created: true }>['result']>().toEqualTypeOf<Entry>();
  });
});
