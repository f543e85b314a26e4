import type { InterfaceMessage, InterfaceMessagesAnswer, InterfaceRawAnswer, InterfaceStatus } from '$shared';
import { request } from './client';

export type { InterfaceMessage, InterfaceStatus };

const messagePath = (id: number, action: string) => `/api/interfaces/messages/${id}/${action}`;

export const interfacesApi = {
  messages: (status?: InterfaceStatus) => request<InterfaceMessagesAnswer>('GET', `/api/interfaces/messages?limit=100${status ? `&status=${status}` : ''}`),
  raw: (id: number) => request<InterfaceRawAnswer>('GET', messagePath(id, 'raw')),
  applyAgain: (id: number) => request<InterfaceMessage>('POST', messagePath(id, 'apply')),
};
