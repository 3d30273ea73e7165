// Where each command connects, and with which credentials. URLs and logins may come from flags; secrets
// come only from the environment or from a file named by a flag: a secret on the command line shows in
// `ps` and in the shell's history. No secret is ever printed: the clients keep them out of their errors,
// and nothing here echoes one.
import { readFileSync } from 'node:fs';
import { createTakeControlClient, undiciTransport, type TakeControlClient } from '@techapi/take-control';
import { createTechnicienClient, type TechnicienClient } from '@techapi/technicien';
import technicienSpec from '../../../dist/specs/technicien.json' with { type: 'json' };
import { UsageError } from './errors.js';
import { defaultRegion, takeControlUrl } from './schema.js';

type Env = Record<string, string | undefined>;

/** Océan's default base URL: the spec's server. */
export const technicienDefaultUrl = technicienSpec.servers[0]?.url ?? '';

export interface TakeControlFlags {
  baseUrl?: string;
  region?: string;
  keyFile?: string;
  /** Refused: a secret given as a flag value (see refuseSecretFlags). */
  key?: string;
}

export interface TechnicienFlags {
  baseUrl?: string;
  login?: string;
  passwordFile?: string;
  tokenFile?: string;
  password?: string;
  token?: string;
}

/** A secret typed as a flag value is refused, without echoing it, with the way to give it instead. */
export function refuseSecretFlags(flags: Record<string, unknown>, secrets: Record<string, string>): void {
  for (const [flag, variable] of Object.entries(secrets)) {
    if (flags[flag] !== undefined) {
      throw new UsageError(`--${flag} takes no value on the command line (it would show in ps and in your shell's history): set ${variable}, or pass --${flag}-file <file>.`);
    }
  }
}

/** A secret from the file a flag names (its first line's end trimmed), else from the environment. */
export function readSecret(file: string | undefined, fromEnv: string | undefined, flag: string): string | undefined {
  if (file === undefined) return fromEnv || undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (!secret) throw new UsageError(`${flag} ${file}: the file is empty.`);
  return secret;
}

function checkedUrl(url: string, from: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
  } catch {
    throw new UsageError(`${from} is not an http(s) URL: ${url}`);
  }
  return url.replace(/\/+$/, '');
}

export function takeControlBaseUrl(flags: TakeControlFlags, env: Env = process.env): string {
  if (flags.baseUrl) return checkedUrl(flags.baseUrl, '--base-url');
  if (flags.region) {
    if (!/^[a-z0-9-]+$/i.test(flags.region)) throw new UsageError(`--region is a region name such as ${defaultRegion}, not "${flags.region}".`);
    return takeControlUrl(flags.region);
  }
  if (env.TAKE_CONTROL_URL) return checkedUrl(env.TAKE_CONTROL_URL, 'TAKE_CONTROL_URL');
  return takeControlUrl();
}

export function takeControl(flags: TakeControlFlags, env: Env = process.env): { client: TakeControlClient; baseUrl: string } {
  refuseSecretFlags({ ...flags }, { key: 'TAKE_CONTROL_KEY' });
  const baseUrl = takeControlBaseUrl(flags, env);
  const integrationKey = readSecret(flags.keyFile, env.TAKE_CONTROL_KEY, '--key-file');
  if (!integrationKey) {
    throw new UsageError('No Take Control integration key: set TAKE_CONTROL_KEY, or pass --key-file <file> (a file holding the key).');
  }
  return { client: createTakeControlClient({ baseUrl, integrationKey, transport: undiciTransport() }), baseUrl };
}

export function technicien(flags: TechnicienFlags, env: Env = process.env): { client: TechnicienClient; baseUrl: string } {
  refuseSecretFlags({ ...flags }, { password: 'OCEAN_PASSWORD', token: 'OCEAN_TOKEN' });
  const baseUrl = flags.baseUrl
    ? checkedUrl(flags.baseUrl, '--base-url')
    : env.OCEAN_URL
      ? checkedUrl(env.OCEAN_URL, 'OCEAN_URL')
      : technicienDefaultUrl;
  const token = readSecret(flags.tokenFile, env.OCEAN_TOKEN, '--token-file');
  const login = flags.login ?? env.OCEAN_LOGIN;
  const password = readSecret(flags.passwordFile, env.OCEAN_PASSWORD, '--password-file');
  if (!token && !(login && password)) {
    throw new UsageError(
      login
        ? `No password for ${login}: set OCEAN_PASSWORD, or pass --password-file <file>. (Or give a token: OCEAN_TOKEN or --token-file.)`
        : 'No Océan credentials: set OCEAN_LOGIN and OCEAN_PASSWORD (or --login and --password-file <file>), or OCEAN_TOKEN (or --token-file <file>).',
    );
  }
  const transport = undiciTransport();
  const client = token
    ? createTechnicienClient({ baseUrl, token, transport, getWithBodyTransport: transport })
    : createTechnicienClient({ baseUrl, credentials: { login: login as string, password: password as string }, transport, getWithBodyTransport: transport });
  return { client, baseUrl };
}
