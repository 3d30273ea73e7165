// The form of Take Control's credential, as the vendor's technician guide gives it.
export const KEY_PREFIX = 'INTEGRATION-KEY ';
export const KEY_FORM = 'Authorization: INTEGRATION-KEY <key>';

/** Whether an Authorization value starts with the prefix, in any case. */
export const hasKeyPrefix = (authorization: string): boolean =>
  authorization.startsWith(KEY_PREFIX) || authorization.slice(0, KEY_PREFIX.length).toUpperCase() === KEY_PREFIX;
