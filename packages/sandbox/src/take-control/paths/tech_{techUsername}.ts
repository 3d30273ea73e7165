// PUT /tech/{techUsername} (specs/take-control/paths/tech_{techUsername}.yaml): sets a technician's status.
// An unknown technician gets 404 (the spec's assumption: the vendor documents no answer for it).
import type { paths } from '../spec-types.js';
import type { Handler } from '../../handlers.js';
import { error, SUCCESS } from '../answers.js';
import type { TakeControlContext } from '../store.js';

export const PUT: Handler<paths['/tech/{techUsername}']['put'], TakeControlContext> = ({ pathParams, body }, { store }) => {
  if (!store.setStatus(pathParams.techUsername, body.status)) return error(404, 'Technician not found');
  return { status: 200, body: SUCCESS };
};
