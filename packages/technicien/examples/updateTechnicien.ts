import { createTechnicienClient } from '@techapi/technicien';

// In Node, the package sends this GET-with-a-body call over undici (fetch cannot send a GET body).
const ocean = createTechnicienClient({
  baseUrl: 'https://v3.oceansystem.com/ocean',
  credentials: { login: 'mon-identifiant', password: process.env.OCEAN_PASSWORD! }, // or { token }
});

const { data, error } = await ocean.updateTechnicien({
  id: 42,
  idUtilisateur: 4242,
  utilisateur: {
    id: 4242,
    prenomUti: 'Amélie',
    nomUti: 'Dupont',
    emailUti: 'amelie.dupont@example.com',
    numeroGsmUti: '+33 6 12 34 56 78',
  },
}); // for a multi-client user, the client's id goes in the options: (technicien, { customerId: 1234 })
if (error) {
  console.error(error.kind, error.status, error.message);
} else {
  console.log(data.utilisateur?.prenomUti); // the updated technician, same shape as the body
}
