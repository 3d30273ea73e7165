// POST /tech (specs/take-control/paths/tech.yaml): creates a technician, or answers the vendor's 409.
import type { paths } from '../spec-types.js';
import type { Handler } from '../../handlers.js';
import { CONFLICT, error, SUCCESS } from '../answers.js';
import type { TakeControlContext } from '../store.js';

export const POST: Handler<paths['/tech']['post'], TakeControlContext> = ({ body }, { store }) => {
  if (store.has(body.email)) return error(409, CONFLICT);
  store.add(body);
  return { status: 200, body: SUCCESS };
};
