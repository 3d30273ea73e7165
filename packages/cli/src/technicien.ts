// The technicien client's updateTechnicien, in one place: its call shape changes (issue 14: the technicien
// first, then `{ customerId }`), and only this adapter follows it.
import type { Technicien, TechnicienClient } from '@techapi/technicien';

export function updateTechnicien(client: TechnicienClient, technicien: Technicien, customerId: number | undefined) {
  return client.updateTechnicien(customerId, technicien);
}
