// techapi: the command line. Each command builds its client from the environment and flags (config.ts),
// calls it, and prints a result; import is in import.ts. Exit codes: see EXIT in errors.ts.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { ApiError } from '@techapi/take-control';
import type { Technicien } from '@techapi/technicien';
import { refuseSecretFlags, takeControl, technicien, technicienDefaultUrl, type TakeControlFlags, type TechnicienFlags } from './config.js';
import { EXIT, UsageError } from './errors.js';
import { runImport, type ImportSummary } from './import.js';
import { createProgress } from './progress.js';
import { readingOf, readingOptions, type ReadingFlags } from './read/flags.js';
import { reportPathFor } from './report.js';
import { checkTechnician, defaultRegion, takeControlUrl, technicianFields } from './schema.js';
import { checkTechnicien } from './technicien-schema.js';

const EXIT_HELP = `
Exit codes:
  0  done: every row created (or the call succeeded)
  1  some rows failed (for --dry-run: some rows are invalid or repeated), or the server refused the call
  2  bad usage, a missing key or login, an unreadable input file
  130  stopped by Ctrl-C: run the same command again to resume an import

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
    takeControlOptions(tc.command(`${name} <email>`).description(`${name} the technician whose username is <email>`))
      .addHelpText('after', examples(`techapi take-control ${name} john.doe@example.com`))
      .action(async (email: string, flags: TakeControlFlags & { json?: boolean }) => {
        const { client } = takeControl(flags);
        finish(await client.setTechnicianStatus(email, status), flags.json, `${email} is ${status}.`);
      });
  }

  takeControlOptions(
    readingOptions(
      tc
        .command('import <file>')
        .description(
          'create the technicians of a CSV or TSV file (Excel\'s and Google Sheets\' included), an .xlsx workbook, a JSON array of objects or NDJSON, in batches; resumable',
        ),
    )
      .option('--batch-size <n>', 'technicians per bulk request', positiveInteger('--batch-size'), 100)
      .option('--dry-run', 'only check the rows (schema, repeated emails): send nothing')
      .option('--journal <file>', 'where the journal goes (default: <file>.journal beside the input)')
      .option('--report <file>', 'where the failed rows go (default: <file>.failed.csv or .failed.ndjson beside the input)'),
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
The failed rows go to a report with a "reason" column, ready to fix and import again.
${EXIT_HELP}`,
    )
    .action(async (file: string, flags: TakeControlFlags & ReadingFlags & { json?: boolean; batchSize: number; dryRun?: boolean; journal?: string; report?: string }) => {
      refuseSecretFlags({ ...flags }, { key: 'TAKE_CONTROL_KEY' });
      const { format, ...reading } = readingOf(file, flags);
      const connection = flags.dryRun ? undefined : takeControl(flags);
      const stop = new AbortController();
      const abort = new AbortController();
      const onSigint = () => {
        if (!stop.signal.aborted) {
          process.stderr.write('\nStopping after the batch in flight (Ctrl-C again to stop now)...\n');
          stop.abort();
        } else abort.abort();
      };
      process.on('SIGINT', onSigint);
      let summary: ImportSummary;
      try {
        summary = await runImport({
          file,
          format,
          reading,
          batchSize: flags.batchSize,
          dryRun: Boolean(flags.dryRun),
          journalPath: flags.journal ?? `${file}.journal`,
          reportPath: flags.report ?? reportPathFor(file, format),
          client: connection?.client,
          baseUrl: connection?.baseUrl ?? '',
          progress: createProgress(process.stderr, flags.dryRun ? 'check' : 'import'),
          stop: stop.signal,
          abort: abort.signal,
        });
      } finally {
        process.off('SIGINT', onSigint);
      }
      printSummary(summary, Boolean(flags.json), process.argv.slice(2));
      process.exitCode = summary.stopped ? (stop.signal.aborted ? EXIT.interrupted : EXIT.failed) : summary.failed > 0 ? EXIT.failed : EXIT.ok;
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

function printSummary(summary: ImportSummary, json: boolean, argv: string[]): void {
  const resume = `techapi ${argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(' ')}`;
  if (json) {
    const { file, dryRun, total, created, failed, valid, invalid, repeated, refused, resumed, stopped, report, journal, seconds, rowsPerSecond } = summary;
    console.log(
      JSON.stringify({ file, dryRun, total, created, failed, valid, invalid, repeated, refused, resumed, stopped: stopped ?? null, report: report ?? null, journal: journal ?? null, seconds, rowsPerSecond }),
    );
    return;
  }
  const lines: string[] = [];
  const time = `${summary.seconds.toFixed(1)} s (${summary.rowsPerSecond} rows/s)`;
  if (summary.dryRun) {
    lines.push(`Checked ${summary.file}: ${summary.total} rows, ${summary.valid} valid, ${summary.invalid} invalid, ${summary.repeated} repeated, in ${time}.`);
    lines.push('Nothing was sent (--dry-run).');
  } else {
    const resumed = summary.resumed ? ` (${summary.resumed} by an earlier run)` : '';
    lines.push(`${summary.stopped ? 'Stopped' : 'Imported'} ${summary.file}: ${summary.total} rows, ${summary.created} created${resumed}, ${summary.failed} failed, in ${time}.`);
    if (summary.failed) lines.push(`Failed: ${summary.invalid} invalid, ${summary.repeated} repeated in the file, ${summary.refused} refused by the server.`);
  }
  if (summary.report) lines.push(`Failed rows: ${summary.report} (the reason in the last column: fix them and import that file).`);
  if (summary.stopped) lines.push(`${summary.stopped} Nothing is lost: run the same command again to resume:\n  ${resume}`);
  else if (summary.journal) lines.push(`Journal: ${summary.journal} (the same command again resumes; delete it to start over).`);
  (summary.stopped ? console.error : console.log)(lines.join('\n'));
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
    if (error instanceof UsageError) {
      console.error(`techapi: ${error.message}`);
      process.exitCode = EXIT.usage;
      return;
    }
    console.error(`techapi: ${(error as Error).stack ?? error}`);
    process.exitCode = EXIT.failed;
  }
}

await main();
