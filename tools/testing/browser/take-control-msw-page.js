// The page tools/msw-browser.test.mjs bundles with esbuild and opens in Chromium: the Take Control client (its
// portable entry, as a bundler resolves it for a browser) against the sandbox's MSW handlers in a service
// worker (setupWorker), at the spec's production URL. It creates a technician, then the same one again, and
// shows both outcomes; then what the technicien client's update (a GET with a body) does in a browser.
import { createSandboxHandlers } from '@techapi/sandbox/msw';
import { createTakeControlClient } from '@techapi/take-control';
import { createTechnicienClient } from '@techapi/technicien';
import { setupWorker } from 'msw/browser';

const log = document.getElementById('log');
/** @param {string} id @param {string} text */
const show = (id, text) => {
  const item = document.createElement('li');
  item.id = id;
  item.textContent = text;
  log?.append(item);
};

async function main() {
  const sandbox = createSandboxHandlers({ apis: ['take-control'] });
  const worker = setupWorker(...sandbox.handlers);
  await worker.start({ onUnhandledRequest: 'error', quiet: true, serviceWorker: { url: '/mockServiceWorker.js' } });

  const client = createTakeControlClient({ baseUrl: sandbox.urls['take-control'], integrationKey: 'your-private-key' });
  const john = { email: 'john.doe@example.com', name: 'John Doe' };
  const first = await client.createTechnician(john);
  show('first', first.error ? `error ${first.error.status} ${first.error.message}` : `created ${john.email}: ${first.response.status} ${first.data.result}`);
  const again = await client.createTechnician(john);
  show('again', again.error ? `${again.error.status} ${again.error.message}` : `unexpected ${again.response.status}`);
  show('stored', `stored: ${sandbox.state()['take-control']?.technicians.map((technician) => technician.email).join(', ')}`);

  // A browser's fetch cannot send a GET with a body: the portable client refuses the call, sending nothing.
  const technicien = createTechnicienClient({ baseUrl: 'https://v3.oceansystem.com/ocean', token: 'browser-token' });
  const update = await technicien.updateTechnicien({ id: 1, passwordValidityDurationNbDays: 30 });
  show('update', `updateTechnicien: ${update.error?.kind}`);
  document.body.dataset.done = 'true';
}

main().catch((error) => {
  show('failure', `failed: ${error}`);
  document.body.dataset.done = 'true';
});
