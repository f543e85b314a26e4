import type { AccountAuditEntry, Role, UnitIdentity, UnitIdentityChange, UnitIdentityRecord } from '$shared';
import { request } from './client';

/** The account rules the server validates with, so the form can say them up front. */
export { USERNAME_PATTERN } from '$shared';

export interface StaffAccount {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  createdAt: string;
  lockedUntil: string | null;
  mustChangePassword: boolean;
}

/** Only the answer to a creation or a reset holds the one-time password: the server keeps its hash. */
export interface WithOneTimePassword extends StaffAccount {
  oneTimePassword: string;
}

export interface AuditPage {
  entries: AccountAuditEntry[];
  nextBefore: number | null;
}

export interface DisplayToken {
  id: string;
  name: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

/** Only the answer to a creation holds the clear token: the server keeps its digest. */
export interface NewDisplayToken extends DisplayToken {
  token: string;
  boardUrl: string;
}

export interface NewStaff {
  username: string;
  displayName: string;
  role: Role;
}

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
