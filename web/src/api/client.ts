/**
 * Every call the console makes to the API, in one place, so a change in the server's shapes is adapted here
 * only. The bearer token lives in sessionStorage: a reload keeps the session, a closed tab ends it.
 */
import type {
  Alarm,
  CallerHistory,
  Category,
  Command,
  CreatedTicket,
  Device,
  Geofence,
  LatestPosition,
  Nearest,
  NewTicket,
  ReplyMethod,
  Ticket,
  TicketDetail,
  TicketFilter,
  TrackDocument,
  TrackFormat,
  Unit,
  UnitBoundaries,
} from './types.ts';

const TOKEN_KEY = 'urbanlink.token';

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

let token: string | null = sessionStorage.getItem(TOKEN_KEY);
const unauthorizedListeners = new Set<() => void>();

export function currentToken(): string | null {
  return token;
}

/** Called when the server no longer accepts the token, so the shell can show the login form again. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function logout(): void {
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
}

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  // A form (a file upload) sets its own multipart content type; anything else goes as JSON.
  const isForm = body instanceof FormData;
  if (body !== undefined && !isForm) headers['content-type'] = 'application/json';
  const payload = body === undefined ? undefined : isForm ? body : JSON.stringify(body);
  const response = await fetch(path, { method, headers, body: payload });
  if (response.ok) return response;
  let message = response.statusText;
  try {
    const error = (await response.json()) as { message?: string; reason?: string };
    message = error.reason ?? error.message ?? message;
  } catch {
    // Not JSON (a proxy's error page): the status text is all there is.
  }
  if (response.status === 401 && path !== '/api/auth/login') {
    logout();
    unauthorizedListeners.forEach((listener) => listener());
  }
  throw new ApiError(response.status, message);
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await request(method, path, body);
  return (await response.json()) as T;
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export async function login(username: string, password: string): Promise<void> {
  const answer = await json<{ token: string }>('POST', '/api/auth/login', { username, password });
  token = answer.token;
  sessionStorage.setItem(TOKEN_KEY, token);
}

export const api = {
  devices: () => json<Device[]>('GET', '/api/devices'),
  device: (id: number) => json<Device>('GET', `/api/devices/${id}`),
  patchDevice: (id: number, patch: Partial<Device>) => json<Device>('PATCH', `/api/devices/${id}`, patch),
  latestPositions: () => json<LatestPosition[]>('GET', '/api/positions/latest'),
  sendText: (id: number, text: string) => json<Command>('POST', `/api/devices/${id}/commands`, { type: 'text', text }),
  locateNow: (id: number) => json<Command>('POST', `/api/devices/${id}/commands`, { type: 'locate' }),
  command: (id: number) => json<Command>('GET', `/api/commands/${id}`),
  nearest: (lat: number, lon: number, limit = 5) => json<Nearest[]>('GET', `/api/dispatch/nearest${query({ lat, lon, limit })}`),
  units: () => json<Unit[]>('GET', '/api/units'),
  unitBoundaries: () => json<UnitBoundaries>('GET', '/api/units/boundaries'),
  geofences: () => json<Geofence[]>('GET', '/api/geofences'),
  categories: () => json<Category[]>('GET', '/api/categories'),
  callerHistory: (phone: string) => json<CallerHistory>('GET', `/api/citizens/${encodeURIComponent(phone)}/history`),
  tickets: (filter: TicketFilter) => json<Ticket[]>('GET', `/api/tickets${query({ ...filter })}`),
  ticket: (id: number) => json<TicketDetail>('GET', `/api/tickets/${id}`),
  createTicket: (ticket: NewTicket) => json<CreatedTicket>('POST', '/api/tickets', ticket),
  dispatchTicket: (id: number, order: { unitId?: number; deviceId?: number; method?: string }) =>
    json<Ticket>('POST', `/api/tickets/${id}/dispatch`, order),
  transitionTicket: (id: number, to: string, note?: string) => json<Ticket>('POST', `/api/tickets/${id}/transition`, { to, note }),
  mergeTicket: (id: number, intoId: number) => json<Ticket>('POST', `/api/tickets/${id}/merge`, { into: intoId }),
  replyToCitizen: (id: number, method: ReplyMethod, text: string) => json<unknown>('POST', `/api/tickets/${id}/reply`, { method, text }),
  completePlanStep: (id: number, position: number) => json<unknown>('POST', `/api/tickets/${id}/plan/steps/${position}/done`, {}),
  uploadAttachment: (id: number, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return json<unknown>('POST', `/api/tickets/${id}/attachments`, form);
  },
  attachment: async (id: number, attachmentId: number) => (await request('GET', `/api/tickets/${id}/attachments/${attachmentId}`)).blob(),
  alarms: (state?: string) => json<Alarm[]>('GET', `/api/alarms${query({ state })}`),
  acknowledgeAlarm: (id: number) => json<Alarm>('POST', `/api/alarms/${id}/acknowledge`, {}),
  assignAlarm: (id: number, unitId: number) => json<Alarm>('POST', `/api/alarms/${id}/assign`, { unitId }),
  resolveAlarm: (id: number, note: string) => json<Alarm>('POST', `/api/alarms/${id}/resolve`, { note }),
  tracks: (deviceIds: number[], from: string, to: string, toleranceMeters?: number) =>
    json<TrackDocument>('GET', `/api/tracks${query({ deviceIds: deviceIds.join(','), from, to, format: 'json', tolerance: toleranceMeters })}`),
  trackFile: async (id: number, from: string, to: string, format: TrackFormat) =>
    (await request('GET', `/api/devices/${id}/track${query({ from, to, format })}`)).blob(),
};
