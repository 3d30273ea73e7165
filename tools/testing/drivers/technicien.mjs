// @ts-check
// How the contract tools call the Gestion des techniciens client: a spec-level request in, the client's
// result out. The client gets a fixed token (the key), so no login interleaves with the calls checked.
/** @typedef {import('../scenarios.mjs').Driver} Driver */
/** @typedef {import('../../../packages/technicien/src/index.js').TechnicienClient} Client */

/** @type {Driver} */
export default {
  api: 'technicien',
  sends: {
    authenticate: {
      because: 'the client takes login and password alone, so any other body arrives as {login, password}',
      request: ({ path, query, body }) => ({ path, query, body: { login: body?.login, password: body?.password } }),
    },
  },
  bodyNames: { updateTechnicien: 'technicien' },
  createClient: (pkg, { baseUrl, key, fetch, wrapTransport }) =>
    pkg.createTechnicienClient({
      baseUrl,
      token: key ?? 'contract-check-token',
      fetch,
      // updateTechnicien's GET with a body goes over undici (the Node entry's), recorded like the rest.
      getWithBodyTransport: wrapTransport(pkg.undiciTransport()),
    }),
  call: {
    authenticate: (/** @type {Client} */ client, { body }, init) => client.authenticate(body?.login, body?.password, init),
    grantClientAccess: (/** @type {Client} */ client, { query }, init) =>
      client.grantClientAccess(
        { emails: typeof query.emails === 'string' ? query.emails.split(';') : query.emails, codeExploitant: query.codeExploitant, dateFin: query.dateFin },
        init,
      ),
    updateTechnicien: (/** @type {Client} */ client, { query, body }, init) => client.updateTechnicien(body, { ...init, customerId: query.customerId }),
  },
};
