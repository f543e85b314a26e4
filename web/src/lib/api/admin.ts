import type {
  AuditPage,
  DisplayToken,
  NewDisplayToken,
  NewStaff,
  StaffAccount,
  UnitIdentity,
  UnitIdentityChange,
  UnitIdentityRecord,
  WithOneTimePassword,
} from '$shared';
import { request } from './client';

/** The account rules the server validates with, so the form can say them up front. */
export { USERNAME_PATTERN } from '$shared';

export type { AuditPage, DisplayToken, NewDisplayToken, NewStaff, StaffAccount, WithOneTimePassword };

const staffPath = (id: string, action: string) => `/api/admin/staff/${encodeURIComponent(id)}/${action}`;

export const adminApi = {
  staff: () => request<{ staff: StaffAccount[] }>('GET', '/api/admin/staff'),
  createStaff: (body: NewStaff) => request<WithOneTimePassword>('POST', '/api/admin/staff', body),
  setActive: (id: string, active: boolean) => request<StaffAccount>('POST', staffPath(id, active ? 'enable' : 'disable')),
  resetPassword: (id: string) => request<WithOneTimePassword>('POST', staffPath(id, 'reset-password')),
  audit: (before?: number) => request<AuditPage>('GET', `/api/admin/audit?limit=20${before ? `&before=${before}` : ''}`),
  tokens: () => request<{ tokens: DisplayToken[] }>('GET', '/api/admin/display-tokens'),
  createToken: (name: string) => request<NewDisplayToken>('POST', '/api/admin/display-tokens', { name }),
  saveUnit: (identity: UnitIdentity) => request<UnitIdentityRecord>('PUT', '/api/admin/unit', identity),
  unitTrail: () => request<{ changes: UnitIdentityChange[] }>('GET', '/api/admin/unit/history'),
  revokeToken: (id: string) => request<DisplayToken>('POST', `/api/admin/display-tokens/${encodeURIComponent(id)}/revoke`),
};
