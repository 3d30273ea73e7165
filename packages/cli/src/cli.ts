// techapi: the command line. Each command builds its client from the environment and flags (config.ts),
// calls it, and prints a result; import is in import.ts. Exit codes: see EXIT in errors.ts.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { ApiError, TakeControlClient } from '@techapi/take-control';
import type { Technicien } from '@techapi/technicien';
import { refuseSecretFlags, takeControl, technicien, technicienDefaultUrl, type TakeControlFlags, type TechnicienFlags } from './config.js';
import { EXIT, UsageError } from './errors.js';
import { runRows, type RunOptions, type RunSummary } from './import.js';
import { createProgress } from './progress.js';
import { readingOf, readingOptions, type ReadingFlags } from './read/flags.js';
import { reportPathFor } from './report.js';
import { STATUS_FIELDS } from './rows.js';
import { checkEmail, checkTechnician, defaultRegion, takeControlUrl, technicianFields } from './schema.js';
import { createAction, STATUS_IN_FLIGHT, statusAction, type Action } from './send/actions.js';
import { checkTechnicien } from './technicien-schema.js';

// A run holds little (under 30 MB live for a 200,000-row import) but allocates fast, and V8 lets the old
// generation grow to 2-4 times the live heap before a full collection: a 200-210 MB peak. Growing it 20% at a
// time keeps the peak near 160 MB at the same speed (npm run bench), and caps nothing: a bigger file only
// collects more often. The flag is read at each collection, so setting it now, before any row, is enough.
setFlagsFromString('--heap-growing-percent=20');

const EXIT_HELP = `
Exit codes:
  0    done: every row created, enabled or disabled, or already on the server (existing); or the call succeeded
  1    some rows failed or changed (for --dry-run: some rows are invalid or repeated); the server refused the
       call; the server stopped answering (run the same command again to resume); or an internal error
  2    bad usage, a missing key or login, an input that is not a readable file, a report or journal that
       cannot be written, a journal that cannot be trusted, or another run using the same journal; nothing sent
  130  stopped by Ctrl-C: run the same command again to resume

Environment:
  TAKE_CONTROL_KEY    Take Control integration key (or --key-file <file>)
  TAKE_CONTROL_URL    Take Control base URL (or --base-url, or --region)
  OCEAN_URL           Océan base URL (or --base-url)
  OCEAN_LOGIN, OCEAN_PASSWORD   Océan login (or --login, --password-file <file>)
  OCEAN_TOKEN         an Océan token instead of a login (or --token-file <file>)
Secrets are never taken as flag values: a flag's value shows in \`ps\` and in your shell's history.`;

const examples = (...lines: string[]) => `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;

const positiveInteger = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`${name} must be a whole number of at least 1.`);
  return Number(value);
};

function takeControlOptions(command: Command): Command {
  return command
    .option('--base-url <url>', 'the API base URL, e.g. a sandbox or a mock (default: TAKE_CONTROL_URL, else the region)')
    .option('--region <region>', `the account region, as in ${takeControlUrl('<region>')} (default: ${defaultRegion})`)
    .option('--key-file <file>', 'a file holding the integration key (default: TAKE_CONTROL_KEY)')
    .addOption(new Option('--key <key>').hideHelp())
    .option('--json', 'print the result as one JSON object');
}

function technicienOptions(command: Command): Command {
  return command
    .option('--base-url <url>', `the API base URL (default: OCEAN_URL, else ${technicienDefaultUrl})`)
    .option('--login <login>', 'the Océan login (default: OCEAN_LOGIN)')
    .option('--password-file <file>', 'a file holding the password (default: OCEAN_PASSWORD)')
    .option('--token-file <file>', 'a file holding a token, instead of a login (default: OCEAN_TOKEN)')
    .addOption(new Option('--password <password>').hideHelp())
    .addOption(new Option('--token <token>').hideHelp())
    .option('--json', 'print the result as one JSON object');
}

/** Prints a call's outcome: the data (or "ok") on success, the error with exit code 1 otherwise. */
function finish(result: { data?: unknown; error?: ApiError }, json: boolean | undefined, success: string): void {
  if (result.error) {
    const { kind, status, message } = result.error;
    if (json) console.log(JSON.stringify({ ok: false, error: { kind, status, message } }));
    else console.error(`Failed: ${status ? `${status} ` : `${kind}: `}${message}`);
    process.exitCode = kind === 'invalid-input' ? EXIT.usage : EXIT.failed;
    return;
  }
  console.log(json ? JSON.stringify({ ok: true, data: result.data ?? null }) : success);
}

export function buildProgram(): Command {
  const program = new Command('techapi')
    .description('A command line for technician admins: Take Control (create, import, enable, disable) and Océan (grant, update).')
    .version(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version)
    .showHelpAfterError('(add --help for usage and examples)')
    .addHelpText('after', `${examples('techapi take-control import technicians.csv', 'techapi technicien grant --emails a@example.com,b@example.com --code-exploitant EXP01 --until 2026-12-31')}${EXIT_HELP}`);

  const tc = program.command('take-control').description('Take Control technicians: create, import, enable, disable');

  takeControlOptions(
    tc
      .command('create')
      .description('create one technician')
      .requiredOption('--email <email>', "the technician's email, which is the username")
      .requiredOption('--name <name>', "the technician's full name")
      .option('--profile <profile>', 'the role, e.g. admin or support')
      .option('--language <language>', 'the interface language, e.g. en, fr, de')
      .option('--timezone <timezone>', 'an IANA timezone, e.g. Europe/Lisbon'),
  )
    .addHelpText('after', examples('TAKE_CONTROL_KEY=... techapi take-control create --email john.doe@example.com --name "John Doe" --profile support'))
    .action(async (flags: TakeControlFlags & Record<string, string | boolean | undefined>) => {
      const technician = Object.fromEntries(technicianFields.flatMap((field) => (typeof flags[field] === 'string' ? [[field, flags[field]]] : [])));
      const problems = checkTechnician(technician);
      if (problems.length > 0) throw new UsageError(problems.map((problem) => `--${problem.column}: ${problem.reason}`).join('\n'));
      const { client } = takeControl(flags);
      finish(await client.createTechnician(technician as never), Boolean(flags.json), `Created ${technician.email}.`);
    });

  for (const [name, status] of [['enable', 'enabled'], ['disable', 'disabled']] as const) {
    fileOptions(
      takeControlOptions(
        tc
          .command(`${name} [email]`)
          .description(`${name} the technician whose username is <email>, or every technician of a file (--file: a column of emails)`)
          .option('--file <file>', `${name} the technicians of this CSV, TSV, .xlsx, JSON or NDJSON file (a column of emails, or usernames), resumable`),
      ),
      name,
    )
      .addHelpText(
        'after',
        `${examples(
          `techapi take-control ${name} john.doe@example.com`,
          `techapi take-control ${name} --file ${name === 'disable' ? 'leavers' : 'returning'}.csv`,
          `techapi take-control ${name} --file ${name === 'disable' ? 'leavers' : 'returning'}.csv --dry-run`,
        )}
With --file, the rows are checked first (an email each, none repeated), then ${STATUS_IN_FLIGHT_TEXT} requests go at once
within the server's rate limit (429s are waited out). The API answers the same whether or not a technician
was already ${status}: either way it counts as ${status}. Interrupted? Run the same command again: the journal
skips the rows done, and sends nothing for them again.
${EXIT_HELP}`,
      )
      .action(async (email: string | undefined, flags: FileFlags) => {
        if (Boolean(email) === Boolean(flags.file)) throw new UsageError(`Give one technician (techapi take-control ${name} <email>) or a file (--file <file>), not ${email ? 'both' : 'neither'}.`);
        if (flags.file) {
          await runFileCommand(flags.file, flags, { name, past: status, fields: STATUS_FIELDS, check: checkEmail }, (client) => statusAction(client, status));
          return;
        }
        const { client } = takeControl(flags);
        finish(await client.setTechnicianStatus(email as string, status), flags.json, `${email} is ${status}.`);
      });
  }

  fileOptions(
    takeControlOptions(
      tc
        .command('import <file>')
        .description(
          "create the technicians of a CSV or TSV file (Excel's and Google Sheets' included), an .xlsx workbook, a JSON array of objects or NDJSON, in batches; resumable",
        )
        .option('--batch-size <n>', 'technicians per bulk request', positiveInteger('--batch-size'), 100)
        .addOption(
          new Option('--existing <what>', 'a row already on the server before this run (409 "already exists"): count it apart (count), or report it as a failure (fail)')
            .choices(['count', 'fail'])
            .default('count'),
        ),
    ),
    'import',
  )
    .addHelpText(
      'after',
      `${examples(
        'techapi take-control import technicians.csv --dry-run',
        'TAKE_CONTROL_KEY=... techapi take-control import technicians.csv',
        'techapi take-control import technicians.ndjson --key-file ~/.tc-key --batch-size 50 --json',
        'techapi take-control import technicians.failed.csv     # the report, once fixed',
        'techapi take-control import rh-export.xlsx --sheet Techniciens --column email="Mail pro"',
      )}
Reading: the encoding (UTF-8, UTF-16 with a byte order mark, else Windows-1252, said on the first line), the
separator (, ; tab |) and the columns are found from the file: a header such as Email, E-mail, Adresse e-mail,
Courriel, Name, Nom, Prénom + Nom, Profil, Langue or Fuseau horaire names its field, in any case, with or
without accents. The first lines say which column gives which field; other columns are not sent.

Each row is checked against the API's schema before anything is sent; invalid rows and rows whose email
is on an earlier line are reported and not sent. A 429 is waited out. Interrupted (Ctrl-C, kill, lost
network)? Run the same command again: the journal skips what was created, and nothing is created twice.
Every row ends in one count: created, existing (already on the server before this run: not a failure),
changed (created by an earlier run, edited in the file since: the server keeps the first values) or failed.
The failed rows go to a report with a "reason" column, ready to fix and import again.
${EXIT_HELP}`,
    )
    .action(async (file: string, flags: FileFlags & { batchSize: number; existing: 'count' | 'fail' }) => {
      await runFileCommand(file, flags, { name: 'create', past: 'created', fields: technicianFields, check: checkTechnician }, (client) => createAction(client, flags.batchSize));
    });

  const oc = program.command('technicien').description('Océan (Gestion des techniciens): grant client access, update a technician');

  technicienOptions(
    oc
      .command('grant')
      .description('grant several technicians access to a client until a date')
      .option('--emails <emails>', 'the technicians, comma-separated')
      .option('--emails-file <file>', 'a file of emails, one per line')
      .requiredOption('--code-exploitant <code>', "the client's code exploitant")
      .requiredOption('--until <yyyy-MM-dd>', 'the last day of the access (dateFin)'),
  )
    .addHelpText(
      'after',
      examples(
        'techapi technicien grant --emails tech1@example.com,tech2@example.com --code-exploitant EXP01 --until 2026-12-31',
        'techapi technicien grant --emails-file team.txt --code-exploitant EXP01 --until 2026-12-31 --token-file ~/.ocean-token',
      ),
    )
    .action(async (flags: TechnicienFlags & { json?: boolean; emails?: string; emailsFile?: string; codeExploitant: string; until: string }) => {
      if (Boolean(flags.emails) === Boolean(flags.emailsFile)) throw new UsageError('Give the technicians with --emails a@x,b@x or with --emails-file <file> (one of them).');
      const emails = (flags.emails ? flags.emails.split(',') : readText(flags.emailsFile as string, '--emails-file').split(/\r?\n/))
        .map((email) => email.trim())
        .filter(Boolean);
      if (emails.length === 0) throw new UsageError('No email given.');
      if (!/^\d{4}-\d\d-\d\d$/.test(flags.until)) throw new UsageError(`--until is a date written yyyy-MM-dd, not "${flags.until}".`);
      const { client } = technicien(flags);
      const result = await client.grantClientAccess({ emails, codeExploitant: flags.codeExploitant, dateFin: flags.until });
      finish(result, flags.json, `Granted ${emails.length} technician${emails.length > 1 ? 's' : ''} access to ${flags.codeExploitant} until ${flags.until}.`);
    });

  technicienOptions(
    oc
      .command('update <file.json>')
      .description("update a technician from a JSON file of the API's Technicien object (sent as the body of a GET, as the vendor documents)")
      .option('--customer-id <n>', 'the customer, for a multi-client user', positiveInteger('--customer-id')),
  )
    .addHelpText('after', examples('techapi technicien update technicien.json --customer-id 12'))
    .action(async (file: string, flags: TechnicienFlags & { json?: boolean; customerId?: number }) => {
      let technicienBody: unknown;
      try {
        technicienBody = JSON.parse(readText(file, 'the file'));
      } catch (error) {
        if (error instanceof UsageError) throw error;
        throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
      }
      if (typeof technicienBody !== 'object' || technicienBody === null || Array.isArray(technicienBody)) throw new UsageError(`${file} must hold one JSON object (a Technicien).`);
      const problems = checkTechnicien(technicienBody);
      if (problems.length) throw new UsageError(`${file} is not a Technicien as the spec defines it; nothing was sent:\n  ${problems.join('\n  ')}`);
      const { client } = technicien(flags);
      const result = await client.updateTechnicien(technicienBody as Technicien, { customerId: flags.customerId });
      if (result.error || flags.json) finish(result, flags.json, '');
      else console.log(JSON.stringify(result.data, null, 2));
    });

  return program;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}

interface FileFlags extends TakeControlFlags, ReadingFlags {
  json?: boolean;
  file?: string;
  dryRun?: boolean;
  journal?: string;
  report?: string;
  giveUpAfter: number;
  existing?: 'count' | 'fail';
}

const STATUS_IN_FLIGHT_TEXT = String(STATUS_IN_FLIGHT);

/** The options every command over a file's rows has (import, enable --file, disable --file). */
function fileOptions(command: Command, name: string): Command {
  const suffix = name === 'import' ? '' : `.${name}`;
  return readingOptions(command)
    .option('--dry-run', 'only check the rows (schema, repeated emails): send nothing')
    .option('--journal <file>', `where the journal goes (default: <file>${suffix}.journal beside the input)`)
    .option('--report <file>', `where the failed rows go (default: <file>${suffix}.failed.csv, .failed.ndjson, or .failed.tsv/.txt for tab-separated text, beside the input)`)
    .option('--give-up-after <seconds>', 'stop (resumable) when the server has not answered for this long', positiveInteger('--give-up-after'), 30);
}

/** Runs a command over the rows of `file`, prints its summary and sets the exit code. */
async function runFileCommand(
  file: string,
  flags: FileFlags,
  command: { name: RunSummary['action']; past: RunSummary['past']; fields: readonly string[]; check: RunOptions['check'] },
  action: (client: TakeControlClient) => Action,
): Promise<void> {
  refuseSecretFlags({ ...flags }, { key: 'TAKE_CONTROL_KEY' });
  const reading = readingOf(file, flags);
  const connection = flags.dryRun ? undefined : takeControl(flags);
  const suffix = command.name === 'create' ? '' : `.${command.name}`;
  const stop = new AbortController();
  const abort = new AbortController();
  const onSigint = () => {
    if (!stop.signal.aborted) {
      process.stderr.write('\nStopping after the requests in flight (Ctrl-C again to stop now)...\n');
      stop.abort();
      return;
    }
    abort.abort();
    // Whatever is still running (a count of a large file) ends here: the journal knows every send.
    setTimeout(() => {
      process.stderr.write('Stopped by a second Ctrl-C. Nothing is lost: run the same command again to resume.\n');
      process.exit(EXIT.interrupted);
    }, 2000).unref();
  };
  process.on('SIGINT', onSigint);
  let summary: RunSummary;
  try {
    summary = await runRows({
      file,
      ...reading,
      fields: command.fields,
      check: command.check,
      does: command,
      action: connection && action(connection.client),
      journalPath: flags.journal ?? `${file}${suffix}.journal`,
      reportPath: flags.report ?? reportPathFor(file, reading.format, suffix),
      baseUrl: connection?.baseUrl ?? '',
      progress: createProgress(process.stderr, flags.dryRun ? 'check' : command.name === 'create' ? 'import' : command.name, command.past),
      existing: flags.existing ?? 'count',
      giveUpMs: flags.giveUpAfter * 1000,
      stop: stop.signal,
      abort: abort.signal,
      notice: (text) => process.stderr.write(`${text}\n`),
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  printSummary(summary, Boolean(flags.json), process.argv.slice(2));
  process.exitCode = summary.stopped ? (summary.interrupted ? EXIT.interrupted : EXIT.failed) : summary.failed > 0 || summary.changed > 0 ? EXIT.failed : EXIT.ok;
}

function printSummary(summary: RunSummary, json: boolean, argv: string[]): void {
  const resume = `techapi ${argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(' ')}`;
  const { file, action, dryRun, total, done, failed, existing, changed, changes, valid, invalid, repeated, refused, resumed, stopped, report, journal, seconds, rowsPerSecond } = summary;
  if (json) {
    console.log(
      JSON.stringify({
        file,
        action,
        dryRun,
        total,
        [summary.past]: done,
        existing,
        changed,
        failed,
        valid,
        invalid,
        repeated,
        refused,
        resumed,
        changes,
        stopped: stopped ?? null,
        report: report ?? null,
        journal: journal ?? null,
        seconds,
        rowsPerSecond,
      }),
    );
    return;
  }
  const lines: string[] = [];
  const time = `${seconds.toFixed(1)} s (${rowsPerSecond} rows/s)`;
  if (dryRun) {
    lines.push(`Checked ${file}: ${total} rows, ${valid} valid, ${invalid} invalid, ${repeated} repeated, in ${time}.`);
    lines.push('Nothing was sent (--dry-run).');
  } else {
    const verb = { create: 'Imported', enable: 'Enabled from', disable: 'Disabled from' }[action];
    const earlier = resumed ? ` (${resumed} by an earlier run)` : '';
    const extra = `${existing ? `, ${existing} existing` : ''}${changed ? `, ${changed} changed` : ''}`;
    lines.push(`${stopped ? 'Stopped' : verb} ${file}: ${total} rows, ${done} ${summary.past}${earlier}${extra}, ${failed} failed, in ${time}.`);
    if (existing) lines.push(`Existing: ${existing} already on the server before this run (not a failure; --existing fail reports them).`);
    if (changed) {
      const where = changes.map((change) => change.line).join(', ');
      lines.push(`Changed: ${changed} rows edited since an earlier run sent them (lines ${where}${changed > changes.length ? ', ...' : ''}): the server keeps the earlier values.`);
    }
    if (failed) lines.push(`Failed: ${invalid} invalid, ${repeated} repeated in the file, ${refused} refused by the server.`);
  }
  if (report) lines.push(`Failed rows: ${report} (the reason in the last column: fix them and run that file).`);
  if (stopped) lines.push(`${stopped} Nothing is lost: run the same command again to resume:\n  ${resume}`);
  else if (journal) lines.push(`Journal: ${journal} (the same command again resumes; delete it to start over).`);
  (stopped ? console.error : console.log)(lines.join('\n'));
}

/** Runs the program: usage mistakes exit 2 with what to do; anything unexpected exits 1 with its message. */
export async function main(argv = process.argv): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  for (const command of program.commands.flatMap((command) => [command, ...command.commands])) command.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
      if (error.code === 'commander.help') process.exitCode = EXIT.usage; // `techapi` alone: the help, as a usage error
      return;
    }
    const usage = error instanceof UsageError;
    console.error(`techapi: ${usage ? error.message : ((error as Error).stack ?? error)}`);
    if (argv.includes('--json')) console.log(JSON.stringify({ ok: false, error: { kind: usage ? 'usage' : 'internal', message: (error as Error).message } }));
    process.exitCode = usage ? EXIT.usage : EXIT.failed;
  }
}

// Not a top-level await: a run whose work ends unsettled (nothing left to wait for) would exit 13 with
// nothing printed. It is caught here instead: it says so and exits 1.
let settled = false;
// `techapi ... | head`: the reader is gone, so nothing more can be printed; end quietly, not with a stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  settled = true;
  process.exit(process.exitCode ?? EXIT.ok);
});
process.once('exit', (code) => {
  if (settled || code === EXIT.interrupted) return;
  process.stderr.write(`techapi: stopped before the command finished, with nothing left to wait for (exit code ${code}): this is a bug; please report it with the command you ran.\n`);
  process.exitCode = EXIT.failed;
});
main().then(
  () => (settled = true),
  (error: unknown) => {
    settled = true;
    console.error(`techapi: ${(error as Error).stack ?? error}`);
    process.exitCode = EXIT.failed;
  },
);
