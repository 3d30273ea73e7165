/** Type helpers that read an openapi-typescript `operations[...]` entry. */

type SuccessCode = 200 | 201 | 202 | 203 | 204 | 206;

/** The documented non-2xx statuses of an operation, as a union of numbers. */
export type ErrorStatus<Operation extends { responses: object }> = Extract<
  Exclude<keyof Operation['responses'], SuccessCode>,
  number
>;

/** The JSON body of an operation's first documented 2xx response. */
export type SuccessBody<Operation extends { responses: object }> = {
  [Code in Extract<keyof Operation['responses'], SuccessCode>]: Operation['responses'][Code] extends {
    content: { 'application/json': infer Body };
  }
    ? Body
    : never;
}[Extract<keyof Operation['responses'], SuccessCode>];
