/** The exit codes, as documented in the README and in `techapi --help`. */
export const EXIT = {
  /** Every row done (or, for a single command, the call succeeded). */
  ok: 0,
  /** Some rows failed, or are invalid for `--dry-run`; or the server refused a single command. */
  failed: 1,
  /** Bad usage, a missing key or login, an unreadable input. */
  usage: 2,
  /** Stopped by Ctrl-C (128 + SIGINT): run the same command again to resume. */
  interrupted: 130,
} as const;

/** A mistake of the person running the command: printed with what to do, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
