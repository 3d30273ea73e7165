import { createTakeControlClient } from '@techapi/take-control';

const takeControl = createTakeControlClient({
  baseUrl: 'https://api.us0.swi-rc.com/rest',
  integrationKey: process.env.TAKE_CONTROL_KEY!,
});

const { data, error } = await takeControl.createTechnician({
  email: 'john.doe@example.com',
  name: 'John Doe',
  profile: 'admin',
  language: 'de',
  timezone: 'Europe/Lisbon',
});
if (error) {
  console.error(error.status, error.message); // e.g. 409 "Email already exists"
} else {
  console.log(data.result); // "SUCCESS"
}
