import type { DeviceKind } from '../domain/devices';

// The device-traceability vocabulary, kept apart so that it folds into the catalogue in one place.
export const DEVICE_FIELD_NAMES = ['device', 'udi', 'gtin', 'lot', 'expiry', 'serial', 'productionDate'] as const;
// The radiation dose's fields, with the devices: both are what the act leaves in the patient's record.
export const DOSE_FIELD_NAMES = ['modality', 'equipment', 'dlpMgyCm', 'ctdiVolMgy', 'dapGyCm2', 'fluoroscopySeconds', 'conclusion', 'lang'] as const;

export type DeviceLabelKey = `device_kind.${DeviceKind}` | `device.${'scan' | 'typed' | 'read' | 'none' | 'expires'}`;
