import type { ApiConfig } from '../../config.ts';

/**
 * Settings of the ticket side. Tests pass them in the app's `config`; `urbanlink start` leaves them unset
 * and they come from the environment (names below), then from these defaults.
 */
export interface TicketSettings {
  /** Zone of the ticket number's date (the default working calendar's zone when unset). */
  numberTimeZone: string;
  /** ARRIVAL_RADIUS_METERS */
  arrivalRadiusMeters: number;
  /** ARRIVAL_MIN_DWELL_SECONDS: how long the vehicle must stay within the radius. */
  arrivalMinDwellSeconds: number;
  /** ATTACHMENT_MAX_BYTES */
  attachmentMaxBytes: number;
  /** FOLLOWUP_SCHEDULER_SECONDS: how often follow-ups are planned; 0 turns the scheduler off. */
  followupSchedulerSeconds: number;
  /** TELEPHONY_SECRET: the PBX's shared secret (header `X-UrbanLink-Secret`); unset refuses every call. */
  telephonySecret: string | undefined;
  /** GATEWAY_SECRET: the SMS and e-mail gateways' shared secret for inbound webhooks. */
  gatewaySecret: string | undefined;
  /** INBOUND_CATEGORY: the category code of complaints that arrive by SMS or e-mail without one. */
  inboundCategory: string;
  /** SMS_GATEWAY_URL: where replies by SMS are POSTed as `{ to, text }`; unset records them as queued. */
  smsGatewayUrl: string | undefined;
  /** SMTP_URL: the relay for e-mail dispatches and replies; unset keeps them as queued. */
  smtpUrl: string | undefined;
  /** MAIL_FROM */
  mailFrom: string;
  /** OPEN311_API_KEYS (CONTRACT.md), besides the keys stored in the database. */
  open311ApiKeys: string[];
  /** The clock of deadlines, follow-ups and overdue lists; injected by tests. */
  now: () => number;
}

declare module '../../config.ts' {
  interface ApiConfig {
    tickets?: Partial<TicketSettings>;
  }
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got '${raw}'`);
  return value;
}

export function ticketSettings(config: ApiConfig, env: NodeJS.ProcessEnv = process.env): TicketSettings {
  return {
    numberTimeZone: env.TICKET_TIME_ZONE || 'Asia/Shanghai',
    arrivalRadiusMeters: positive(env, 'ARRIVAL_RADIUS_METERS', 100),
    arrivalMinDwellSeconds: positive(env, 'ARRIVAL_MIN_DWELL_SECONDS', 60),
    attachmentMaxBytes: positive(env, 'ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024),
    followupSchedulerSeconds: positive(env, 'FOLLOWUP_SCHEDULER_SECONDS', 60),
    telephonySecret: env.TELEPHONY_SECRET || undefined,
    gatewaySecret: env.GATEWAY_SECRET || undefined,
    inboundCategory: env.INBOUND_CATEGORY || 'unclassified',
    smsGatewayUrl: env.SMS_GATEWAY_URL || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'UrbanLink <urbanlink@localhost>',
    open311ApiKeys: (env.OPEN311_API_KEYS ?? '').split(',').map((key) => key.trim()).filter(Boolean),
    now: Date.now,
    ...config.tickets,
  };
}
