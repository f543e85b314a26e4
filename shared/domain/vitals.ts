// Normal ranges a nurse checks before letting a patient go home (DESIGN.md); outside them, an alert.
export const VITAL_RANGES = {
  heartRate: { min: 50, max: 120 },
  systolic: { min: 90, max: 180 },
  spo2: { min: 92, max: 100 },
} as const;

export const MIN_PADSS = 9;

// Modified Aldrete score a sedated patient reaches before the PADSS counts for going home.
export const MIN_ALDRETE = 9;

// A freeze that ends with a temperature sooner than this after it started is a mis-tap, not a cycle.
export const MIN_FREEZE_SECONDS = 30;

// Lowest probe temperature: the expected −70…−90 °C; outside −120…−40 it is taken as a typo.
export const FREEZE_TEMP_RANGE = { min: -120, max: -40 } as const;
// What a working probe reaches (the form's hint): a value outside it is possible but asked twice.
export const EXPECTED_FREEZE_TEMP_RANGE = { min: -90, max: -70 } as const;
export const freezeTempUnexpected = (c: number): boolean => c < EXPECTED_FREEZE_TEMP_RANGE.min || c > EXPECTED_FREEZE_TEMP_RANGE.max;

export interface VitalSigns {
  heartRate: number;
  systolic: number;
  diastolic: number;
  spo2: number;
  temperatureC?: number;
  painScore?: number;
}

export function vitalsInRange(v: VitalSigns): boolean {
  return (
    v.heartRate >= VITAL_RANGES.heartRate.min &&
    v.heartRate <= VITAL_RANGES.heartRate.max &&
    v.systolic >= VITAL_RANGES.systolic.min &&
    v.systolic <= VITAL_RANGES.systolic.max &&
    v.spo2 >= VITAL_RANGES.spo2.min
  );
}

// A diastolic pressure at or above the systolic is a typing error, not a measure.
export const vitalsPlausible = (v: Pick<VitalSigns, 'systolic' | 'diastolic'>): boolean => v.diastolic < v.systolic;
