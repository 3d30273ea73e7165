// POST /restapi/technicien/grant-client-access (specs/technicien/paths/restapi_technicien_grant-client-access.yaml):
// records, for each email, access to the client until `dateFin`, shown in the technicien's `userclients`.
import type { paths } from '../spec-types.js';
import type { Handler } from '../../handlers.js';
import { notFound } from '../answers.js';
import type { Technicien, TechnicienContext } from '../store.js';

export const POST: Handler<paths['/restapi/technicien/grant-client-access']['post'], TechnicienContext> = ({ query }, { store }) => {
  const emails = (query.get('emails') ?? '').split(';').map((email) => email.trim());
  const codeExploitant = query.get('codeExploitant') ?? '';
  const dateFin = query.get('dateFin') ?? '';
  const client = store.clients.get(codeExploitant);
  if (!client) return notFound(`No client with code exploitant ${codeExploitant}`);
  const found = emails.map((email) => ({ email, technicien: store.technicienByEmail(email) }));
  const unknown = found.filter(({ technicien }) => !technicien).map(({ email }) => email);
  if (unknown.length > 0) {
    // A list joined with ',' reads as one address: say which separator the API takes.
    const hint = unknown.some((email) => email.includes(',')) ? ": separate several emails with ';', not ','" : '';
    return notFound(`No technicien with email ${unknown.join(', ')}${hint}`);
  }
  // Every name is known: the grants are recorded together, or (above) not at all.
  let created = false;
  for (const { email, technicien } of found as Array<{ email: string; technicien: Technicien }>) {
    const id = technicien.id as number;
    const key = `${id} ${codeExploitant}`;
    if (!store.grants.has(key)) created = true;
    store.grants.set(key, { email, technicienId: id, codeExploitant, dateFin });
    const userclients = (technicien.userclients ??= []);
    const existing = userclients.find((userclient) => userclient.client?.codeExploitant === codeExploitant);
    if (existing) {
      existing.utilisateurClientLightDTO = { ...existing.utilisateurClientLightDTO, expirationDate: dateFin };
    } else {
      const { numeroFaxUti, numeroGsmUti, numeroTelephoneUti, ...utilisateur } = technicien.utilisateur ?? {};
      userclients.push({ client: structuredClone(client), utilisateur, utilisateurClientLightDTO: { id: store.newUserClientId(), expirationDate: dateFin } });
    }
  }
  // 201 when an access was created, 200 when every one existed and only its end date changed.
  return { status: created ? 201 : 200 };
};
