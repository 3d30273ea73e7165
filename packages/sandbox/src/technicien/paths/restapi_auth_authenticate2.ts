// POST /restapi/auth/authenticate2 (specs/technicien/paths/restapi_auth_authenticate2.yaml): the configured
// login gets a new token, valid 12 hours on the sandbox clock; anything else gets 401.
import type { paths } from '../spec-types.js';
import type { Handler } from '../../handlers.js';
import { unauthorized } from '../answers.js';
import type { TechnicienContext } from '../store.js';

export const POST: Handler<paths['/restapi/auth/authenticate2']['post'], TechnicienContext> = ({ body }, { store, login, password }) => {
  if (body.login !== login || body.password !== password) return unauthorized('Bad credentials');
  return { status: 200, body: { additionalAccountData: {}, passwordExpirationRemainingDays: 90, token: store.issueToken() } };
};
