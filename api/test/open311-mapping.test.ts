import { describe, expect, it } from 'vitest';
import { parseNewRequest, toRequest, toService, open311Status } from '../src/tickets/open311.ts';
import { toXml } from '../src/tickets/xml.ts';

describe('Open311 mapping', () => {
  it('turns a category into a service', () => {
    expect(toService({ code: 'street-vending', name: '占道经营', description: null, parentName: '市容', keywords: ['vendor', 'stall'] })).toEqual({
      service_code: 'street-vending', service_name: '占道经营', description: '占道经营', metadata: false, type: 'realtime', keywords: 'vendor,stall', group: '市容',
    });
  });

  it('reduces the workflow to open and closed and keeps the stage in the notes and extensions', () => {
    expect(open311Status('dispatched')).toBe('open');
    expect(open311Status('merged')).toBe('closed');
    const request = toRequest({
      id: 12, number: '20261128-0003', status: 'arrived', categoryCode: 'c', categoryName: 'C', description: 'd', address: null,
      lat: 1, lon: 2, registeredAt: 'r', updatedAt: 'u', dueAt: null, unitName: 'Squad 1', channel: 'open311', priority: 'normal', mediaUrl: null, replyText: null,
    }, true);
    expect(request).toMatchObject({ service_request_id: '12', status: 'open', status_notes: 'A field unit is on site (到场)', long: 2, agency_responsible: 'Squad 1' });
    expect(request.extended_attributes).toEqual({ number: '20261128-0003', stage: 'arrived', channel: 'open311', priority: 'normal' });
  });

  it('reads a form and lists every problem in the specification error form', () => {
    expect(parseNewRequest({ description: 'x' })).toEqual([
      { code: 400, description: 'service_code is required' },
      { code: 400, description: 'a location is required: lat and long, address_string or address_id' },
    ]);
    expect(parseNewRequest({ service_code: 's', lat: '95', long: '1' })).toEqual([{ code: 400, description: 'lat must be a number from -90 to 90' }]);
    expect(parseNewRequest({ service_code: 's', lat: '31.2', long: '121.4', first_name: 'Li', last_name: 'Lei', phone: ' 138 ' })).toMatchObject({
      serviceCode: 's', lat: 31.2, lon: 121.4, name: 'Li Lei', phone: '138', description: '',
    });
  });

  it('writes escaped XML with nested records', () => {
    expect(toXml('errors', 'error', [{ code: 400, description: 'a < b & "c"' }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?><errors><error><code>400</code><description>a &#60; b &#38; &#34;c&#34;</description></error></errors>',
    );
    expect(toXml('r', 'i', [{ a: { b: 1 }, c: '' }])).toContain('<i><a><b>1</b></a><c/></i>');
  });
});
