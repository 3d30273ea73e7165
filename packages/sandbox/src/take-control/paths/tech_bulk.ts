// POST /tech/bulk (specs/take-control/paths/tech_bulk.yaml): creates each technician and reports per email.
// An existing or repeated email fails per item (default) or fails the whole request (`reject-batch`).
import type { components, paths } from '../spec-types.js';
import type { Handler } from '../../handlers.js';
import { CONFLICT, error } from '../answers.js';
import type { TakeControlContext } from '../store.js';

export const POST: Handler<paths['/tech/bulk']['post'], TakeControlContext> = ({ body: items }, { store, bulkConflicts }) => {
  const seen = new Set<string>();
  const conflicts = items.map((item) => {
    const key = item.email.toLowerCase();
    const conflict = store.has(key) || seen.has(key);
    seen.add(key);
    return conflict;
  });
  const failed = conflicts.filter(Boolean).length;
  if (failed > 0 && bulkConflicts === 'reject-batch') return error(409, CONFLICT);
  // Keyed by email as sent. An exact repeat shares its first copy's key: that entry tells its first
  // copy's outcome and counts the copies ignored.
  const entries: Record<string, components['schemas']['BulkTechnicianResult']> = {};
  items.forEach((item, index) => {
    const existing = entries[item.email];
    if (existing) {
      existing.ignoredRepeats = Number(existing.ignoredRepeats ?? 0) + 1;
      return;
    }
    if (conflicts[index]) {
      entries[item.email] = { result: 'FAILURE', status: 409, message: CONFLICT };
    } else {
      store.add(item);
      entries[item.email] = { result: 'SUCCESS' };
    }
  });
  const result = failed === 0 ? 'SUCCESS' : failed === items.length ? 'FAILURE' : 'PARTIAL_SUCCESS';
  return { status: 200, body: { result, details: { technicians: entries } } };
};
