import type { TicketState } from './states.ts';

/**
 * Open311 GeoReport v2 in terms of UrbanLink's tickets and categories: services from the category tree,
 * requests from tickets, the seven-word status vocabulary reduced to open/closed with the fine stage kept
 * in `status_notes` and the extended attributes, and errors in the specification's list form.
 */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export interface CategoryForService {
  code: string;
  name: string;
  description: string | null;
  parentName: string | null;
  keywords: string[];
}

export function toService(category: CategoryForService): Open311Service {
  return {
    service_code: category.code,
    service_name: category.name,
    description: category.description ?? category.name,
    metadata: false,
    type: 'realtime',
    keywords: category.keywords.join(','),
    group: category.parentName ?? '',
  };
}

export interface TicketForRequest {
  id: number;
  number: string;
  status: TicketState;
  categoryCode: string;
  categoryName: string;
  description: string;
  address: string | null;
  lat: number | null;
  lon: number | null;
  registeredAt: string;
  updatedAt: string;
  dueAt: string | null;
  unitName: string | null;
  channel: string;
  priority: string;
  mediaUrl: string | null;
  replyText: string | null;
}

const STAGE_NOTES: Record<TicketState, string> = {
  registered: 'Registered (受理)',
  accepted: 'Accepted (立案)',
  dispatched: 'Dispatched to a field unit (派遣)',
  arrived: 'A field unit is on site (到场)',
  handled: 'Handled, awaiting verification (处置)',
  verified: 'Verified (核查)',
  closed: 'Closed (结案)',
  returned: 'Returned to the dispatcher (退回)',
  reopened: 'Reopened (重办)',
  merged: 'Merged into another request as a duplicate (合并)',
};

export function open311Status(state: TicketState): 'open' | 'closed' {
  return state === 'closed' || state === 'merged' ? 'closed' : 'open';
}

export function toRequest(ticket: TicketForRequest, extensions: boolean): Record<string, unknown> {
  const request: Record<string, unknown> = {
    service_request_id: String(ticket.id),
    status: open311Status(ticket.status),
    status_notes: ticket.replyText ? `${STAGE_NOTES[ticket.status]}: ${ticket.replyText}` : STAGE_NOTES[ticket.status],
    service_name: ticket.categoryName,
    service_code: ticket.categoryCode,
    description: ticket.description,
    agency_responsible: ticket.unitName ?? '',
    service_notice: `Ticket number ${ticket.number}`,
    requested_datetime: ticket.registeredAt,
    updated_datetime: ticket.updatedAt,
    expected_datetime: ticket.dueAt ?? '',
    address: ticket.address ?? '',
    address_id: '',
    zipcode: '',
    lat: ticket.lat ?? '',
    long: ticket.lon ?? '',
    media_url: ticket.mediaUrl ?? '',
  };
  if (extensions) {
    request.extended_attributes = {
      number: ticket.number,
      stage: ticket.status,
      channel: ticket.channel,
      priority: ticket.priority,
    };
  }
  return request;
}

export interface Open311Error {
  code: number;
  description: string;
}

/** GeoReport errors are a list even when there is one, and the HTTP status is repeated as `code`. */
export function open311Errors(code: number, ...descriptions: string[]): Open311Error[] {
  return descriptions.map((description) => ({ code, description }));
}

/** A new request as the form fields of `POST requests.json` name it; the route validates and converts. */
export interface Open311NewRequest {
  serviceCode: string;
  lat: number | null;
  lon: number | null;
  addressString: string | null;
  description: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  mediaUrl: string | null;
  deviceId: string | null;
  accountId: string | null;
}

function text(form: Record<string, unknown>, key: string): string | null {
  const value = form[key];
  const single = Array.isArray(value) ? value[0] : value;
  if (single === undefined || single === null) return null;
  const trimmed = String(single).trim();
  return trimmed === '' ? null : trimmed;
}

/** Reads the form, or returns the list of problems in the specification's error form. */
export function parseNewRequest(form: Record<string, unknown>): Open311NewRequest | Open311Error[] {
  const problems: string[] = [];
  const serviceCode = text(form, 'service_code');
  if (!serviceCode) problems.push('service_code is required');
  const lat = text(form, 'lat');
  const lon = text(form, 'long');
  const addressString = text(form, 'address_string');
  const addressId = text(form, 'address_id');
  if ((lat === null || lon === null) && !addressString && !addressId) {
    problems.push('a location is required: lat and long, address_string or address_id');
  }
  const latValue = lat === null ? null : Number(lat);
  const lonValue = lon === null ? null : Number(lon);
  if (latValue !== null && !(Math.abs(latValue) <= 90)) problems.push('lat must be a number from -90 to 90');
  if (lonValue !== null && !(Math.abs(lonValue) <= 180)) problems.push('long must be a number from -180 to 180');
  if (problems.length > 0) return open311Errors(400, ...problems);
  const first = text(form, 'first_name');
  const last = text(form, 'last_name');
  return {
    serviceCode: serviceCode!,
    lat: latValue,
    lon: lonValue,
    addressString: addressString ?? addressId,
    description: text(form, 'description') ?? '',
    email: text(form, 'email'),
    phone: text(form, 'phone'),
    name: [first, last].filter(Boolean).join(' ') || null,
    mediaUrl: text(form, 'media_url'),
    deviceId: text(form, 'device_id'),
    accountId: text(form, 'account_id'),
  };
}
