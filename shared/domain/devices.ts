import { gtinCheckDigitValid, normaliseGtin, parseUdi, type UdiError } from './udi';
import type { Role } from './roles';

// Single-use items whose lot must be traceable to the patient (a recall names a lot, never a case).
// The cryoprobe is recorded with position_probe; everything else with record_device.
export const DEVICE_KINDS = ['cryoprobe', 'introducer', 'cryo_console', 'gas_cylinder', 'stimulation_needle', 'other'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** A device as sent: a scanned UDI, or its fields typed from the label. */
export type DeviceInput = { udi: string } | { gtin?: string; lot: string; expiry?: string; serial?: string };

/** A device as the log and the reports hold it: the fields read, and the scan they were read from. */
export interface RecordedDevice {
  gtin?: string;
  lot?: string;
  serial?: string;
  expiry?: string;
  productionDate?: string;
  udi?: string;
}

export type DeviceError = UdiError | 'device_lot_missing';
export type DeviceReading = { ok: true; device: RecordedDevice } | { ok: false; error: DeviceError };

const isScan = (input: DeviceInput): input is { udi: string } => 'udi' in input;

/** The device's fields, from the scan or as typed (a GTIN typed from an 8/12/13-digit barcode becomes its 14 digits). */
export function readDevice(input: DeviceInput): DeviceReading {
  if (isScan(input)) {
    const parsed = parseUdi(input.udi);
    if (!parsed.ok) return parsed;
    // Traceability is the point: a label that names neither a lot nor a serial traces nothing.
    if (!parsed.fields.lot && !parsed.fields.serial) return { ok: false, error: 'device_lot_missing' };
    return { ok: true, device: { ...parsed.fields, udi: input.udi.trim() } };
  }
  const device: RecordedDevice = { lot: input.lot.trim() };
  if (!device.lot) return { ok: false, error: 'device_lot_missing' };
  if (input.gtin !== undefined && input.gtin.trim() !== '') {
    const gtin = normaliseGtin(input.gtin);
    if (!gtin) return { ok: false, error: 'device_udi_unreadable' };
    if (!gtinCheckDigitValid(gtin)) return { ok: false, error: 'device_gtin_check_digit' };
    device.gtin = gtin;
  }
  if (input.expiry) device.expiry = input.expiry;
  if (input.serial?.trim()) device.serial = input.serial.trim();
  return { ok: true, device };
}

/** The device as recorded, for an input the rules accepted (an unreadable one records nothing). */
export function recordedDevice(input: DeviceInput | undefined): RecordedDevice | undefined {
  if (!input) return undefined;
  const reading = readDevice(input);
  return reading.ok ? reading.device : undefined;
}

export const isExpiredOn = (device: RecordedDevice, day: string): boolean => device.expiry !== undefined && device.expiry < day;

/** Whether two records are the same physical item or batch (what a repeated scan must not add twice). */
export const sameDevice = (a: RecordedDevice, b: RecordedDevice): boolean =>
  a.gtin === b.gtin && a.lot === b.lot && a.serial === b.serial;

/**
 * Who searches which patients received a lot: the coordinator who answers the recall and the
 * radiologists who call the patients back. A nurse records devices but does not run recalls.
 */
export const RECALL_SEARCHERS: readonly Role[] = ['coordinator', 'radiologist'];
