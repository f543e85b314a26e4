import { validateResource } from '@medplum/core';
import { SYSTEM_ACTORS, type Sex } from '../../shared';
import type { Booking } from './bookings';
import { fhirDefinitionsLoaded, loadFhirDefinitions } from './fhir-definitions';
import { registerMapper, type Mapped, type StoredMessage } from './registry';

// FHIR R4 bookings: an Appointment, alone (its Patient contained) or in a transaction Bundle beside
// its Patient, read as the Booking every interface gives the command path. The mapping is written
// out in docs/integration.md.

// The few FHIR R4 elements a booking reads; the validator has checked their shape before they are read.
interface Identifier {
  use?: string;
  value?: string;
  type?: { coding?: { code?: string }[] };
}
interface Reference {
  reference?: string;
  type?: string;
  display?: string;
  identifier?: Identifier;
}
export interface FhirResource {
  resourceType?: string;
  id?: string;
  [element: string]: unknown;
}
interface FhirPatient extends FhirResource {
  identifier?: Identifier[];
  name?: { use?: string; family?: string; given?: string[] }[];
  gender?: string;
  birthDate?: string;
}
interface FhirAppointment extends FhirResource {
  identifier?: Identifier[];
  status?: string;
  start?: string;
  description?: string;
  reasonCode?: { text?: string }[];
  cancelationReason?: { text?: string };
  contained?: FhirResource[];
  participant?: { actor?: Reference }[];
}
export interface BundleEntry {
  fullUrl?: string;
  resource?: FhirResource;
}

export interface FhirIssue {
  expression?: string[];
  text: string;
}

/** What Medplum's R4 validator (the one the export is checked with) finds wrong, errors only. */
export function fhirErrors(resource: FhirResource): FhirIssue[] {
  // The inbox awaits the channel's preparation before it maps a message (registerMapper below).
  if (!fhirDefinitionsLoaded()) throw new Error('FHIR definitions read before they were loaded');
  type Issue = { severity: string; expression?: string[]; details?: { text?: string } };
  const errorsOf = (issues: Issue[]) =>
    issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => ({ ...(i.expression ? { expression: i.expression } : {}), text: i.details?.text ?? 'invalid' }));
  try {
    return errorsOf(validateResource(resource as never) as Issue[]);
  } catch (error) {
    const outcome = (error as { outcome?: { issue?: Issue[] } }).outcome;
    if (!outcome?.issue) return [{ text: error instanceof Error ? error.message : String(error) }];
    return errorsOf(outcome.issue);
  }
}

const FHIR_SEX: Record<string, Sex> = { female: 'female', male: 'male', other: 'other' };

const unreadable = (detail: string): Mapped => ({ ok: false, rule: 'message_unreadable', params: { detail: detail.slice(0, 300) } });
const unsupported = (type: string): Mapped => ({ ok: false, rule: 'message_type_unsupported', params: { type } });

/** The medical record number among a Patient's identifiers: the one typed MR (HL7 v2 table 0203), else the first. */
function mrnOf(identifiers: Identifier[] | undefined): string | undefined {
  const list = identifiers ?? [];
  const typed = list.find((i) => (i.type?.coding ?? []).some((c) => c.code === 'MR'));
  return (typed ?? list[0])?.value;
}

function patientPart(patient: FhirPatient | undefined, reference: Reference | undefined): Booking['patient'] | null {
  const mrn = patient ? mrnOf(patient.identifier) : reference?.identifier?.value;
  if (!mrn) return null;
  if (!patient) return { mrn };
  const names = patient.name ?? [];
  const name = names.find((n) => n.use === 'official') ?? names[0];
  const sex = patient.gender ? FHIR_SEX[patient.gender] : undefined;
  return {
    mrn,
    ...(name?.family ? { familyName: name.family } : {}),
    ...(name?.given?.length ? { givenName: name.given.join(' ') } : {}),
    ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
    ...(sex ? { sex } : {}),
  };
}

/** The Patient an Appointment's participant names: contained (#id), or an entry of the same Bundle (fullUrl or Patient/id). */
function findPatient(appointment: FhirAppointment, entries: BundleEntry[]): { patient?: FhirPatient; reference?: Reference } {
  const actors = (appointment.participant ?? []).flatMap((p) => (p.actor ? [p.actor] : []));
  const reference = actors.find((a) => a.type === 'Patient' || String(a.reference ?? '').includes('Patient/') || String(a.reference ?? '').startsWith('#') || String(a.reference ?? '').startsWith('urn:'));
  const ref = String(reference?.reference ?? '');
  const contained = (appointment.contained ?? []).find((r) => r.resourceType === 'Patient' && `#${r.id}` === ref);
  const inBundle = entries.find((e) => e.resource?.resourceType === 'Patient' && (e.fullUrl === ref || `Patient/${e.resource.id}` === ref));
  const only = entries.filter((e) => e.resource?.resourceType === 'Patient');
  const patient = contained ?? inBundle?.resource ?? (only.length === 1 ? only[0]!.resource : undefined);
  return { ...(patient ? { patient: patient as FhirPatient } : {}), ...(reference ? { reference } : {}) };
}

const KIND_OF_STATUS: Record<string, Booking['kind']> = {
  proposed: 'book',
  pending: 'book',
  booked: 'book',
  arrived: 'book',
  'checked-in': 'book',
  waitlist: 'book',
  cancelled: 'cancel',
  'entered-in-error': 'cancel',
  noshow: 'no_show',
};

/** The booking an Appointment carries; `entries` are the other resources of its Bundle. */
export function appointmentBooking(appointment: FhirAppointment, entries: BundleEntry[] = []): { ok: true; booking: Booking } | { ok: false; mapped: Mapped } {
  const kind = appointment.status ? KIND_OF_STATUS[appointment.status] : undefined;
  if (!kind) return { ok: false, mapped: unsupported(`Appointment.status ${String(appointment.status)}`) };
  const identifiers = appointment.identifier ?? [];
  const number = (identifiers.find((i) => i.use === 'official') ?? identifiers[0])?.value;
  if (!number) return { ok: false, mapped: { ok: false, rule: 'booking_field_missing', params: { field: 'Appointment.identifier' } } };
  const { patient, reference } = findPatient(appointment, entries);
  const who = patientPart(patient, reference);
  if (!who) return { ok: false, mapped: { ok: false, rule: 'booking_field_missing', params: { field: 'Patient.identifier' } } };
  const location = (appointment.participant ?? []).map((p) => p.actor).find((a) => a && (a.type === 'Location' || String(a.reference ?? '').startsWith('Location/')));
  const reasonText = (appointment.reasonCode ?? []).map((r) => r.text).filter(Boolean).join(', ') || appointment.description;
  const booking: Booking = {
    kind,
    appointment: { filler: String(number) },
    patient: who,
    ...(appointment.start ? { start: appointment.start } : {}),
    ...(location?.display ? { roomName: location.display } : {}),
    ...(kind !== 'book' && appointment.cancelationReason?.text ? { reason: appointment.cancelationReason.text } : {}),
    ...(kind === 'book' && reasonText ? { indicationNote: String(reasonText).slice(0, 500) } : {}),
  };
  return { ok: true, booking };
}

/** The Appointment of a posted resource: itself, or the one Appointment of a transaction (or batch) Bundle. */
export function postedAppointment(resource: FhirResource): { ok: true; appointment: FhirAppointment; entries: BundleEntry[] } | { ok: false; mapped: Mapped } {
  if (resource.resourceType === 'Appointment') return { ok: true, appointment: resource, entries: [] };
  if (resource.resourceType !== 'Bundle') return { ok: false, mapped: unsupported(String(resource.resourceType)) };
  if (resource.type !== 'transaction' && resource.type !== 'batch') return { ok: false, mapped: unsupported(`Bundle.type ${String(resource.type)}`) };
  const entries = (resource.entry as BundleEntry[] | undefined) ?? [];
  const appointments = entries.filter((e) => e.resource?.resourceType === 'Appointment');
  if (appointments.length !== 1) return { ok: false, mapped: unsupported(`Bundle with ${appointments.length} Appointment`) };
  const other = entries.find((e) => !['Appointment', 'Patient'].includes(String(e.resource?.resourceType)));
  if (other) return { ok: false, mapped: unsupported(`Bundle entry ${String(other.resource?.resourceType)}`) };
  return { ok: true, appointment: appointments[0]!.resource as FhirAppointment, entries };
}

/** The stored text of a FHIR post, read again from scratch: at receipt, after a crash, or applied again from the Interfaces screen. */
export function mapFhirMessage(message: StoredMessage): Mapped {
  let resource: FhirResource;
  try {
    resource = JSON.parse(message.raw);
  } catch {
    // Not the parser's text: it quotes the bytes around the fault, which may be a patient's name, and
    // the reason is shown to admins, who read no patient data. The raw message holds the rest.
    return unreadable('JSON');
  }
  if (!resource || typeof resource !== 'object' || Array.isArray(resource)) return unreadable('not a FHIR resource');
  const posted = postedAppointment(resource);
  if (!posted.ok) return posted.mapped;
  const errors = fhirErrors(resource);
  // Where and why, but no quoted value: the validator's sentence may quote what it refused (a name).
  if (errors.length > 0)
    return unreadable(errors.map((e) => `${e.expression?.join(',') ?? resource.resourceType}: ${e.text.replace(/"[^"]*"|'[^']*'/g, '…')}`).join('; '));
  const mapped = appointmentBooking(posted.appointment, posted.entries);
  if (!mapped.ok) return mapped.mapped;
  return { ok: true, booking: mapped.booking, actor: SYSTEM_ACTORS.fhir };
}

registerMapper('fhir', mapFhirMessage, loadFhirDefinitions);
