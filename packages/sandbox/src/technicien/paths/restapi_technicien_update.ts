// GET /restapi/technicien/update (specs/technicien/paths/restapi_technicien_update.yaml), a GET with a JSON
// body: changes the technicien with that `id` and answers it whole, in the same shape. A partial update (the
// spec's assumption): the properties sent replace the stored ones, nested objects are merged, arrays replaced.
import type { paths } from '../spec-types.js';
import type { Handler } from '../../handlers.js';
import { badRequest, notFound } from '../answers.js';
import { emailOf, type Technicien, type TechnicienContext } from '../store.js';

export const GET: Handler<paths['/restapi/technicien/update']['get'], TechnicienContext> = ({ query, body: update }, { store }) => {
  const customerId = query.get('customerId');
  if (customerId !== null && ![...store.clients.values()].some((client) => String(client.id) === customerId)) {
    return notFound(`No client with id ${customerId}`);
  }
  const current = update.id === undefined ? undefined : store.techniciens.get(update.id);
  if (!current) return notFound(update.id === undefined ? 'The technicien to update has no id' : `No technicien with id ${update.id}`);
  const updated = merge(current, structuredClone(update)) as Technicien;
  // Grants find a technicien by its email: an update that loses it, without naming a new one, would strand it.
  const before = emailOf(current) || undefined;
  const after = emailOf(updated) || undefined;
  if (before !== undefined && after?.toLowerCase() !== before.toLowerCase() && (after === undefined || after !== emailOf(update))) {
    return badRequest(
      `Invalid request: this update would leave technicien ${update.id} without the email it is found by (${before}); ` +
        'send utilisateur.emailUti to change it, or leave it out to keep it',
    );
  }
  store.techniciens.set(update.id as number, updated);
  return { status: 200, body: updated };
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `update` over `stored`: an object sent is merged into the stored one, anything else (a value, an array, null) replaces it. */
function merge(stored: unknown, update: unknown): unknown {
  if (!isObject(stored) || !isObject(update)) return update;
  const merged: Record<string, unknown> = { ...stored };
  for (const [name, value] of Object.entries(update)) merged[name] = name in stored ? merge(stored[name], value) : value;
  return merged;
}
