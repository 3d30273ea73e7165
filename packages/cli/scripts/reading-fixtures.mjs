// @ts-check
// Writes the reading fixtures (src/read/fixtures/), byte for byte as the programs that make such files write
// them, so that the tests read what admins really have rather than what our own writer makes:
// - excel-fr.csv: Excel (Windows, French) "CSV (séparateur: point-virgule)": Windows-1252, `;`, CRLF, no
//   BOM; a trailing empty column, as Excel keeps once a column beyond the data was formatted.
// - excel-utf8.csv: Excel "CSV UTF-8 (délimité par des virgules)": a UTF-8 BOM, `,`, CRLF.
// - unicode-text.txt: Excel "Texte Unicode": UTF-16 LE with its BOM, tab-separated, CRLF.
// - google-sheets.csv: Google Sheets "Download > CSV": UTF-8 without BOM, `,`, CRLF between rows, a bare LF
//   inside a quoted value that holds a line break.
// - hr-export.json: an HR tool's JSON export, `Email`, `Name`, `Department`.
// - workbook.xlsx: written by exceljs's streaming writer with shared strings, as Excel stores text; two
//   sheets, "Techniciens" first.
// - stray-byte.csv: UTF-8, but one name typed in Windows-1252 (a byte 0xE9 alone).
// Run: node packages/cli/scripts/reading-fixtures.mjs (commit what it writes).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';

const out = join(dirname(fileURLToPath(import.meta.url)), '../src/read/fixtures');
mkdirSync(out, { recursive: true });

/** Windows-1252 bytes of `text` (every character here is in Latin-1's range, where the two agree). */
const cp1252 = (/** @type {string} */ text) => {
  if (/[^\x00-\x7f\xa0-\xff]/.test(text)) throw new Error('not in Windows-1252 as written here');
  return Buffer.from(text, 'latin1');
};
const crlf = (/** @type {string[]} */ lines) => `${lines.join('\r\n')}\r\n`;

writeFileSync(
  join(out, 'excel-fr.csv'),
  cp1252(
    crlf([
      'Adresse e-mail;Prénom;Nom;Profil;Langue;Service;',
      'helene.dupre@example.fr;Hélène;Dupré;support;fr;Comptabilité;',
      'francois.ca@example.fr;François;Ça;admin;fr;Direction;',
      "sean.obrien@example.ie;Seán;O'Brien;support;en;Réseau;",
      'zoe.akesson@example.se;Zoë;Åkesson;support;en;Réseau;',
      'pas-un-email;Élodie;Érable;support;fr;Accueil;',
    ]),
  ),
);

writeFileSync(
  join(out, 'excel-utf8.csv'),
  Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(
      crlf([
        'Email,Name,Profile,Phone',
        'helene.dupre@example.fr,Hélène Dupré,support,+33 1 23 45 67 89',
        'francois.ca@example.fr,François Ça,admin,',
        "sean.obrien@example.ie,Seán O'Brien,support,+353 1 234 5678",
        ' zoe.akesson@example.se ,Zoë Åkesson ,support,',
      ]),
    ),
  ]),
);

const utf16le = (/** @type {string} */ text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
writeFileSync(
  join(out, 'unicode-text.txt'),
  utf16le(
    crlf([
      'E-mail\tNom complet\tFuseau horaire\tLangue',
      'helene.dupre@example.fr\tHélène Dupré\tEurope/Paris\tfr',
      'francois.ca@example.fr\tFrançois Ça\tEurope/Paris\tfr',
      "sean.obrien@example.ie\tSeán O'Brien\tEurope/Dublin\ten",
      'zoe.akesson@example.se\tZoë Åkesson\tEurope/Stockholm\ten',
    ]),
  ),
);

writeFileSync(
  join(out, 'google-sheets.csv'),
  Buffer.from(
    crlf([
      'Email address,Full name,Notes',
      'helene.dupre@example.fr,Hélène Dupré,"Arrivée le 3 mars\nbureau 2"',
      'francois.ca@example.fr,François Ça,',
      `sean.obrien@example.ie,Seán O'Brien,"Dit ""Seán""\nsur place"`,
      'zoe.akesson@example.se,Zoë Åkesson,Stockholm',
    ]),
  ),
);

writeFileSync(
  join(out, 'hr-export.json'),
  `${JSON.stringify(
    [
      { Email: 'helene.dupre@example.fr', Name: 'Hélène Dupré', Department: 'Comptabilité' },
      { Email: 'francois.ca@example.fr', Name: 'François Ça', Department: 'Direction' },
      { Email: 'sean.obrien@example.ie', Name: "Seán O'Brien", Department: 'Réseau' },
      { Email: 'zoe.akesson@example.se', Name: 'Zoë Åkesson', Department: 'Réseau' },
    ],
    null,
    2,
  )}\n`,
);

writeFileSync(
  join(out, 'stray-byte.csv'),
  Buffer.concat([
    Buffer.from('email,name\nhelene.dupre@example.fr,H'),
    Buffer.from([0xe9]), // é, typed in Windows-1252 in a UTF-8 file
    Buffer.from("l\u00e8ne Dupr\u00e9\nfrancois.ca@example.fr,Fran\u00e7ois \u00c7a\nsean.obrien@example.ie,Se\u00e1n O'Brien\nzoe.akesson@example.se,Zo\u00eb \u00c5kesson\n"),
  ]),
);

const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(out, 'workbook.xlsx'), useSharedStrings: true });
const technicians = workbook.addWorksheet('Techniciens');
technicians.addRow(['Courriel', 'Nom', 'Profil', 'Fuseau horaire']).commit();
technicians.addRow(['helene.dupre@example.fr', 'Hélène Dupré', 'support', 'Europe/Paris']).commit();
technicians.addRow([{ text: 'francois.ca@example.fr', hyperlink: 'mailto:francois.ca@example.fr' }, 'François Ça', 'admin', 'Europe/Paris']).commit();
technicians.addRow(['sean.obrien@example.ie', { richText: [{ text: 'Seán ' }, { font: { bold: true }, text: "O'Brien" }] }, 'support']).commit();
technicians.addRow(['zoe.akesson@example.se', 'Zoë Åkesson', 'support', 'Europe/Stockholm']).commit();
technicians.commit();
const archive = workbook.addWorksheet('Anciens');
archive.addRow(['Courriel', 'Nom']).commit();
archive.addRow(['ancien@example.fr', 'Ancien Technicien']).commit();
archive.commit();
await workbook.commit();
console.log(`wrote the reading fixtures in ${out}`);
