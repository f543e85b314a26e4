import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../shared';
import { Api, TEST_PASSWORD, bookCaseInThePast, newCaseBody, seedStaff } from '../support/api';
import { driveWholeDay } from '../support/day';
import { removeDir, startServer, type TestServer } from '../support/server';

// What a spreadsheet evaluates (OWASP CSV injection): = + - @ and their full-width and small forms,
// after any spaces or quotes, and any cell starting with a tab or CR.
const FORMULA = /^[\s"]*[=+\-@＝＋－＠﹦﹢﹣﹫]/u;
// A bare number is read as a number, formula or not: -82 is harmless however it is opened.
const PLAIN_NUMBER = /^-?\d+(?:[.,]\d+)?$/;
const evaluates = (cell: string) => /^[\t\r]/.test(cell) || (FORMULA.test(cell) && !PLAIN_NUMBER.test(cell.trim()));

const PAYLOADS = {
  lastName: "Doe,=cmd|' /C calc'!A0,",
  firstName: ' =2+2',
  secondLastName: '＝3+3',
  operator: 'Dr Roche,=1+1, -2+3',
  note: 'ok\n=1+1; @SUM(A1)\t-2+3 , +1 ,"=HYPERLINK(""http://x"")" ﹦1 ＠x ＋1 －1\r\n\t=1',
};

/** Every cell of the file as a spreadsheet reading it with `delimiter` would see it. */
function cellsAs(csv: string, delimiter: ',' | ';'): string[] {
  const rows: string[][] = parse(csv, { delimiter, bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true });
  return rows.flat();
}

describe('CSV exports: no cell a spreadsheet would run, whatever the separator it splits on', () => {
  let server: TestServer;
  let coordinator: Api;
  let day: string;
  const exports: Record<string, string> = {};

  beforeAll(async () => {
    server = await startServer();
    const staff = await seedStaff(server);
    coordinator = await Api.login(server, 'coordinator');
    const nurse = await Api.login(server, 'nurse');
    // The operator's name lands in the cycles export: an account named by someone with admin rights.
    await server.app.accounts.createStaff({ username: 'rx', displayName: PAYLOADS.operator, role: 'radiologist', password: TEST_PASSWORD });
    const radiologist = await Api.login(server, 'rx');
    day = dayOf(new Date(), server.config.timezone);

    const body = newCaseBody({ patient: { ...newCaseBody().patient, lastName: PAYLOADS.lastName, firstName: PAYLOADS.firstName } });
    await driveWholeDay({ nurse, radiologist }, await bookCaseInThePast(server, staff.coordinator, 180, body));

    const cancelled = await coordinator.post('/api/cases', newCaseBody({ patient: { ...newCaseBody().patient, lastName: PAYLOADS.secondLastName, firstName: 'Zoé' } }));
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(201);
    await coordinator.command(cancelled.body.case.id, { type: 'cancel', reason: 'not_fasting', note: PAYLOADS.note });

    for (const name of ['cases.csv', 'freeze-cycles.csv']) {
      const res = await fetch(`${server.url}/api/reports/${name}?from=${day}&to=${day}`, { headers: { cookie: coordinator.cookie } });
      expect(res.status).toBe(200);
      exports[name] = await res.text();
    }
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  for (const name of ['cases.csv', 'freeze-cycles.csv']) {
    for (const delimiter of [';', ','] as const) {
      it(`${name} read with "${delimiter}" holds no formula`, () => {
        const cells = cellsAs(exports[name]!, delimiter);
        expect(cells.length).toBeGreaterThan(delimiter === ';' ? 20 : 2);
        expect(cells.filter(evaluates)).toEqual([]);
      });
    }
  }

  it('keeps what was typed, a quote in front of each place a formula would start', () => {
    const [header, ...rows] = parse(exports['cases.csv']!, { delimiter: ';', bom: true }) as string[][];
    const column = (col: string) => rows.map((r) => r[header!.indexOf(col)]);
    expect(column('last_name')).toEqual(expect.arrayContaining(["Doe,'=cmd|' /C calc'!A0,", "'＝3+3"]));
    expect(column('first_name')).toEqual(expect.arrayContaining(["' =2+2", 'Zoé']));
    expect(column('cancel_note').find(Boolean)).toBe(
      'ok\n\'=1+1;\' @SUM(A1)\t\'-2+3 ,\' +1 ,\'"=HYPERLINK(""http://x"")" ﹦1 ＠x ＋1 －1\r\n\'\t\'=1',
    );
  });

  it('guards the operator\'s name in the cycles export too', () => {
    const [header, ...rows] = parse(exports['freeze-cycles.csv']!, { delimiter: ';', bom: true }) as string[][];
    expect(rows.map((r) => r[header!.indexOf('operator')])).toEqual(["Dr Roche,'=1+1,' -2+3"]);
  });

  it('leaves the numbers it computes as numbers: a temperature of -82 is -82, not text', () => {
    for (const name of ['cases.csv', 'freeze-cycles.csv']) {
      const [header, ...rows] = parse(exports[name]!, { delimiter: ';', bom: true }) as string[][];
      const temps = rows.map((r) => r[header!.indexOf('lowest_temp_c')]).filter(Boolean);
      expect(temps, name).toEqual(['-82']);
    }
  });
});
