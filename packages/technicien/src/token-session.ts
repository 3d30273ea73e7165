import type { ApiError } from '@techapi/client-core';

/** The vendor: "Le token n'est valable que 12 heures". */
export const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

export type TokenOutcome = { token: string; error?: undefined } | { token?: undefined; error: ApiError };

/**
 * Where a client's `X-AUTH-TOKEN` comes from: a fixed token, the caller's own function, or a login made
 * by the client itself. Logins are shared: however many calls need a token at once, one login runs.
 */
export interface TokenSource {
  /**
   * A token to send, logging in first when there is none or it is about to expire. A token at hand is
   * returned as is, not in a promise: each call's path then takes no extra turn of the event loop.
   */
  current(): TokenOutcome | Promise<TokenOutcome>;
  /**
   * Called when the server answered 401 to `token`. Returns true when a retry with a fresh token makes
   * sense (the client logs in itself), false otherwise.
   */
  rejected(token: string): boolean;
  /** Whether the source logs in itself, so that a 401 may be retried with a fresh token (see `rejected`). */
  readonly renews: boolean;
  /** Every secret this source has held, to keep out of error messages. */
  secrets(): readonly string[];
}

export function fixedToken(token: string): TokenSource {
  // The same outcome and list for every call: this source sits on each call's path.
  const current = { token };
  const secrets = [token];
  return { current: () => current, rejected: () => false, renews: false, secrets: () => secrets };
}

export function callerToken(getToken: () => string | Promise<string>): TokenSource {
  const seen = new Set<string>();
  let secrets: string[] = [];
  return {
    async current() {
      const token = await getToken();
      if (!seen.has(token)) {
        seen.add(token);
        secrets = [...seen];
      }
      return { token };
    },
    rejected: () => false,
    renews: false,
    secrets: () => secrets,
  };
}

export interface LoginSessionOptions {
  /** Logs in and resolves with a token, or with the login's error. */
  login: () => Promise<TokenOutcome>;
  /** How long a token lives; default 12 hours. */
  lifetimeMs?: number;
  /** How long before expiry a token is renewed; default 10 minutes. */
  renewBeforeMs?: number;
  /** The clock, for tests. */
  now?: () => number;
  /** Secrets known up front (the password). */
  secrets: readonly string[];
}

export function loginSession(options: LoginSessionOptions): TokenSource {
  const { login, lifetimeMs = TOKEN_LIFETIME_MS, renewBeforeMs = 10 * 60 * 1000, now = Date.now } = options;
  const seen = new Set<string>(options.secrets);
  /** The secrets as a list, rebuilt only when a token is added: read on each call. */
  let secrets = [...seen];
  let cached: { outcome: TokenOutcome; token: string; renewAt: number } | undefined;
  let inFlight: Promise<TokenOutcome> | undefined;

  const logIn = (): Promise<TokenOutcome> => {
    // The token's life is counted from before the request, so the client renews early rather than late.
    const startedAt = now();
    inFlight ??= login()
      .then((outcome) => {
        if (outcome.token !== undefined) {
          seen.add(outcome.token);
          secrets = [...seen];
          cached = { outcome: { token: outcome.token }, token: outcome.token, renewAt: startedAt + lifetimeMs - renewBeforeMs };
        }
        return outcome;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return {
    current() {
      if (cached && now() < cached.renewAt) return cached.outcome;
      return logIn();
    },
    rejected(token) {
      // Only the first 401 for a token drops it: calls that fail with the same token share one login.
      if (cached?.token === token) cached = undefined;
      return true;
    },
    renews: true,
    secrets: () => secrets,
  };
}
