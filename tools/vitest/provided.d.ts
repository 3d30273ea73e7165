// What the globalSetup provides to tests through `inject()`.
declare module 'vitest' {
  export interface ProvidedContext {
    /** The base URL of each API's Prism mock, by API name, e.g. { 'take-control': 'http://127.0.0.1:41234' } */
    mockUrls: Record<string, string>;
  }
}
export {};
