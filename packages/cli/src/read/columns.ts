// Stage 3, records to rows: which column (or JSON key) gives which field of the API. A header is recognized
// in English or French, in any case, with or without accents, spaces, dashes, underscores or dots
// (`E-mail`, `Adresse e-mail`, `Courriel`, `Nom complet`, `Fuseau horaire`...); `--column field=Header`
// names any other. A name split in two (`Prénom` and `Nom`, `First name` and `Last name`) with no full-name
// column gives `name`, the two joined with a space. Columns that map to no field are not sent and are named
// once; two columns for one field, or none for `email`, is a usage error naming the flag that fixes it.
import { UsageError } from '../errors.js';

/** The column a failure report adds: a report read back in (once fixed) has it, and it is ignored. */
export const REASON_COLUMN = 'reason';

/** `Adresse e-mail` → `adresseemail`: lower case, no accents, no spaces, dashes, underscores, dots or quotes. */
export const normalizeHeader = (header: string) =>
  header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\-_.'’()]/g, '');

/**
 * The headers each field of the API is known by, normalized, besides its own name. A weak one is taken only
 * when no other column gives the field: beside `Email`, a `Login` column is not the email.
 */
const ALIASES: Record<string, { strong: string[]; weak?: string[] }> = {
  // The email is the technician's username: a status file may name it either way.
  email: {
    strong: ['email', 'mail', 'emailaddress', 'adresseemail', 'adressemail', 'adresseelectronique', 'courriel', 'adressecourriel'],
    weak: ['username', 'techusername', 'user', 'identifiant', 'login'],
  },
  name: { strong: ['name', 'fullname', 'displayname', 'nomcomplet', 'nometprenom', 'prenometnom', 'nomprenom', 'prenomnom'], weak: ['nom'] },
  profile: { strong: ['profile', 'profil', 'role'] },
  language: { strong: ['language', 'lang', 'langue', 'locale'] },
  timezone: { strong: ['timezone', 'tz', 'fuseauhoraire', 'fuseau', 'zonehoraire'] },
};
/** The halves of a name split in two; `nom` counts as the last name only beside a first name. */
const FIRST_NAME = ['firstname', 'givenname', 'forename', 'prenom'];
const LAST_NAME = ['lastname', 'surname', 'familyname', 'nomdefamille', 'nom'];

export interface Take {
  field: string;
  /** The column indexes whose values make the field (two for a name joined from its halves). */
  from: number[];
}

export interface Mapping {
  takes: Take[];
  /** The columns that give no field (not the reason column, not those without a header). */
  ignored: string[];
  /** Index past the last column with a header: later values are empty trailing columns. */
  width: number;
  /** `email ← "Adresse e-mail", name ← "Prénom" + "Nom"`. */
  describe(): string;
}

export interface MappingContext {
  file: string;
  /** `column` or `key`, as the file calls them. */
  noun: 'column' | 'key';
}

/**
 * Maps a header to the fields wanted. `overrides` (from `--column field=Header`) win. Throws a UsageError
 * when two columns claim a field or no column gives `email`.
 */
export function mapColumns(header: readonly string[], fields: readonly string[], overrides: Readonly<Record<string, string>>, context: MappingContext): Mapping {
  const { file, noun } = context;
  const quote = (index: number) => `"${header[index]}"`;
  let width = header.length;
  while (width > 0 && !header[width - 1]?.trim()) width--;
  const claims = new Map<string, number[]>();
  const taken = new Set<number>();
  for (const [field, wanted] of Object.entries(overrides)) {
    if (!fields.includes(field)) throw new UsageError(`--column ${field}=${wanted}: "${field}" is not a field here (the fields are ${fields.join(', ')}).`);
    let index = header.findIndex((name) => name.trim() === wanted.trim());
    if (index === -1) index = header.findIndex((name) => normalizeHeader(name) === normalizeHeader(wanted));
    if (index === -1) throw new UsageError(`--column ${field}=${wanted}: ${file} has no ${noun} "${wanted}" (its ${noun}s: ${header.filter((name) => name.trim()).map((name) => `"${name}"`).join(', ')}).`);
    claims.set(field, [index]);
    taken.add(index);
  }
  const normalized = header.map(normalizeHeader);
  const free = (index: number) => !taken.has(index) && normalized[index] !== '' && normalized[index] !== REASON_COLUMN;
  for (const field of fields) {
    if (claims.has(field)) continue;
    const strong = new Set([normalizeHeader(field), ...(ALIASES[field]?.strong ?? [])]);
    const weak = new Set(ALIASES[field]?.weak ?? []);
    const among = (names: Set<string>) => normalized.flatMap((name, index) => (free(index) && names.has(name) ? [index] : []));
    let found = among(strong);
    if (found.length === 0) found = among(weak);
    if (found.length > 1) {
      throw new UsageError(
        `${file}: the ${noun}s ${found.map(quote).join(' and ')} both give the field ${field}: keep one, or choose with --column ${field}=${JSON.stringify(header[found[0] as number])}.`,
      );
    }
    if (found.length === 1) claims.set(field, found);
  }
  // A name split in two: `Nom` beside a `Prénom` is the last name, not the full name.
  if (fields.includes('name') && !('name' in overrides)) {
    const first = normalized.findIndex((name, index) => free(index) && FIRST_NAME.includes(name));
    const fullName = claims.get('name')?.[0];
    const last = normalized.findIndex((name, index) => free(index) && LAST_NAME.includes(name) && (fullName === undefined || fullName === index));
    if (first !== -1 && last !== -1 && (fullName === undefined || normalized[fullName] === 'nom')) claims.set('name', [first, last]);
  }
  if (fields.includes('email') && !claims.has('email')) {
    const names = header.filter((name) => name.trim()).map((name) => `"${name}"`);
    throw new UsageError(
      `${file}: no ${noun} gives the email (its ${noun}s: ${names.join(', ') || 'none'}). Name it with --column email="<the ${noun}'s name>"` +
        `, or call it Email, E-mail, Adresse e-mail or Courriel.`,
    );
  }
  const takes = fields.flatMap((field) => {
    const from = claims.get(field);
    return from ? [{ field, from }] : [];
  });
  const used = new Set(takes.flatMap((take) => take.from));
  const ignored = header.flatMap((name, index) => (index < width && !used.has(index) && normalized[index] !== REASON_COLUMN && name.trim() ? [name] : []));
  const unnamed = header.flatMap((name, index) => (index < width && !name.trim() ? [`${noun} ${index + 1} (no header)`] : []));
  return {
    takes,
    ignored: [...ignored, ...unnamed],
    width,
    describe: () => takes.map((take) => `${take.field} ← ${take.from.map(quote).join(' + ')}`).join(', '),
  };
}
