import { createTakeControlClient } from '@techapi/take-control';

const takeControl = createTakeControlClient({
  baseUrl: 'https://api.us0.swi-rc.com/rest',
  integrationKey: process.env.TAKE_CONTROL_KEY!,
});

const { data, error } = await takeControl.setTechnicianStatus('john.doe@example.com', 'disabled');
if (error) {
  console.error(error.status, error.message);
} else {
  console.log(data.result); // "SUCCESS"
}
