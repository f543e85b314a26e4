// The report answers themselves are typed once, in $shared (shared/contract/reports.ts); this is the charts' own input.
export interface Series {
  label: string;
  data: (number | null)[];
  color: string;
}
