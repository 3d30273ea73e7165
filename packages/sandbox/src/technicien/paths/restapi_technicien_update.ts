// GET /restapi/technicien/update (specs/technicien/paths/restapi_technicien_update.yaml), a GET with a JSON
// body: changes the technicien with that `id` and answers it whole, in the same shape.
import type { paths } from '../spec-types.js';
import type { Handler } from '../../handlers.js';
import { notFound } from '../answers.js';
import type { TechnicienContext } from '../store.js';

export const GET: Handler<paths['/restapi/technicien/update']['get'], TechnicienContext> = ({ query, body: update }, { store }) => {
  const customerId = query.get('customerId');
  if (customerId !== null && ![...store.clients.values()].some((client) => String(client.id) === customerId)) {
    return notFound(`No client with id ${customerId}`);
  }
  const current = update.id === undefined ? undefined : store.techniciens.get(update.id);
  if (!current) return notFound(update.id === undefined ? 'The technicien to update has no id' : `No technicien with id ${update.id}`);
  // The properties sent replace the stored ones; the others stay.
  const updated = { ...current, ...structuredClone(update) };
  store.techniciens.set(update.id as number, updated);
  return { status: 200, body: updated };
};
