// @ts-check
// How the contract tools call the Take Control client: a spec-level request in, the client's result out.
/** @typedef {import('../scenarios.mjs').Driver} Driver */
/** @typedef {import('../../../packages/take-control/src/index.js').TakeControlClient} Client */

/** @type {Driver} */
export default {
  api: 'take-control',
  // createTechnicians resolves with a per-technician report, not the server's body.
  reports: ['createTechnicians'],
  sends: {
    setTechnicianStatus: {
      because: 'the client takes the status alone, so any other body arrives as {status}',
      request: ({ path, query, body }) => ({ path, query, body: { status: body?.status } }),
    },
  },
  bodyNames: { createTechnician: 'technician', createTechnicians: 'technicians' },
  createClient: (pkg, { baseUrl, key, fetch }) =>
    pkg.createTakeControlClient({ baseUrl, integrationKey: key ?? 'contract-check-key', fetch }),
  call: {
    createTechnician: (/** @type {Client} */ client, { body }, init) => client.createTechnician(body, init),
    // The bulk method reports per technician: a refused list carries the report's error, a batch that
    // failed as a whole the HTTP error.
    createTechnicians: async (/** @type {Client} */ client, { body }, init) => {
      const report = await client.createTechnicians(body, init);
      const error = report.error ?? report.failed.find((failure) => failure.error)?.error;
      return error ? { error } : { data: report };
    },
    setTechnicianStatus: (/** @type {Client} */ client, { path, body }, init) =>
      client.setTechnicianStatus(path.techUsername, body?.status, init),
  },
};
