import nodemailer from 'nodemailer';

/** Outgoing e-mail: dispatch orders to a unit's address and replies to citizens. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
  close(): void;
}

/** A mailer over SMTP_URL (`smtp://user:pass@host:587`, `smtps://…`), or null when none is configured. */
export function createMailer(smtpUrl: string | undefined, from: string): Mailer | null {
  if (!smtpUrl) return null;
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    close() {
      transport.close();
    },
  };
}

/** What a delivery attempt came to, as replies and timeline entries record it. */
export async function deliver(
  mailer: Mailer | null,
  message: { to: string; subject: string; text: string },
): Promise<{ delivery: 'sent' | 'failed' | 'queued'; error: string | null }> {
  if (!mailer) return { delivery: 'queued', error: null };
  try {
    await mailer.send(message);
    return { delivery: 'sent', error: null };
  } catch (error) {
    return { delivery: 'failed', error: (error as Error).message };
  }
}
