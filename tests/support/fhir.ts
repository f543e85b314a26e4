import type { Api } from './api';

type Json = Record<string, any>;
export const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
let serial = 0;

/** An Appointment as a scheduling system sends it: its number, its patient contained, its room as a Location. */
export function appointment(over: Json = {}, patient: Json = {}): Json {
  serial += 1;
  const start = inHours(2);
  return {
    resourceType: 'Appointment',
    identifier: [{ system: 'urn:oid:1.2.250.1.999.1.2', value: `RDV-F${serial}` }],
    status: 'booked',
    description: 'Cryoneurolyse génicul\u00e9e',
    start,
    end: new Date(Date.parse(start) + 45 * 60_000).toISOString(),
    contained: [
      {
        resourceType: 'Patient',
        id: 'p',
        identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: 'urn:oid:1.2.250.1.999.1.1', value: `IPP-F${serial}` }],
        name: [{ use: 'official', family: 'Fran\u00e7ois', given: ['Ma\u00eblle'] }],
        gender: 'female',
        birthDate: '1956-07-21',
        ...patient,
      },
    ],
    participant: [
      { actor: { reference: '#p', display: 'Maëlle François' }, status: 'accepted' },
      { actor: { reference: 'Location/salle-2', display: 'Salle 2' }, status: 'accepted' },
    ],
    ...over,
  };
}

/** Posts FHIR JSON as an interface engine does: application/fhir+json, in the language asked for. */
export const postFhir = (api: Api, path: string, body: unknown, lang = 'en') =>
  api.request('POST', path, JSON.stringify(body), { 'content-type': 'application/fhir+json', 'accept-language': lang });
