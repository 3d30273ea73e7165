// What the globalSetup provides to tests through `inject()`.
declare module 'vitest' {
  export interface ProvidedContext {
    /** The base URL of this project's Prism mock, e.g. http://127.0.0.1:41234 */
    mockUrl: string;
  }
}
export {};
