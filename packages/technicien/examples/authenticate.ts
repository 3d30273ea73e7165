import { createTechnicienClient } from '@techapi/technicien';

const baseUrl = 'https://v3.oceansystem.com/ocean';
const login = 'mon-identifiant';
const password = process.env.OCEAN_PASSWORD!;

// A client created with `credentials` logs in by itself (and again before the token's 12 hours end):
// call authenticate() only to manage the token yourself.
const ocean = createTechnicienClient({ baseUrl, credentials: { login, password } });

const { data, error } = await ocean.authenticate(login, password);
if (error) {
  console.error(error.status, error.message); // e.g. 401; the password never appears in an error
} else if (data.token) {
  // Valid 12 hours, e.g. for another process: createTechnicienClient({ baseUrl, token })
  const withToken = createTechnicienClient({ baseUrl, token: data.token });
  await withToken.grantClientAccess({ emails: ['tech1@example.com'], codeExploitant: 'CLIENT01', dateFin: '2025-12-31' });
}
