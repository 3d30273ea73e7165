import { createTechnicienClient } from '@techapi/technicien';

const ocean = createTechnicienClient({
  baseUrl: 'https://v3.oceansystem.com/ocean',
  credentials: { login: 'mon-identifiant', password: process.env.OCEAN_PASSWORD! }, // or { token }
});

// All three go in the query string; the emails joined by ';'.
const { error } = await ocean.grantClientAccess({
  emails: ['tech1@example.com', 'tech2@example.com'],
  codeExploitant: 'CLIENT01',
  dateFin: '2025-12-31', // or a Date: its local calendar day
});
if (error) {
  console.error(error.kind, error.status, error.message);
} else {
  console.log('access granted');
}
