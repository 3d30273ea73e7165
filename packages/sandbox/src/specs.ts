// The bundled specs the sandbox serves and checks every exchange against (dist/specs/<api>.json, written by
// `npm run build`). Imported as JSON so that the build carries them inside the package's JS.
import takeControlSpec from '../../../dist/specs/take-control.json';
import technicienSpec from '../../../dist/specs/technicien.json';

/** A bundled OpenAPI 3.1 document, read by the validator. */
export type OpenApiDocument = Record<string, unknown>;

export const SPECS: Record<'take-control' | 'technicien', OpenApiDocument> = {
  'take-control': takeControlSpec as unknown as OpenApiDocument,
  technicien: technicienSpec as unknown as OpenApiDocument,
};
