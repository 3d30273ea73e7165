import { createTakeControlClient } from '@techapi/take-control';

const takeControl = createTakeControlClient({
  baseUrl: 'https://api.us0.swi-rc.com/rest',
  integrationKey: process.env.TAKE_CONTROL_KEY!,
});

// Sent in batches of 100 (`batchSize`); every technician comes back as created or failed, with the reason.
const report = await takeControl.createTechnicians([
  { email: 'tech1@example.com', name: 'Tech One', profile: 'admin', language: 'en' },
  { email: 'tech2@example.com', name: 'Tech Two', profile: 'support', language: 'fr' },
]);
console.log('created:', report.created); // ["tech1@example.com", "tech2@example.com"]
for (const { email, reason } of report.failed) {
  console.error(email, reason); // e.g. "Email already exists"
}
