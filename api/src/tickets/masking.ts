/**
 * How a reporter appears to someone who should not see who complained (a unit member handling the case):
 * enough to tell callers apart, not enough to call them.
 */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  if (phone.length <= 4) return '*'.repeat(phone.length);
  const keepHead = Math.min(3, phone.length - 4);
  return phone.slice(0, keepHead) + '*'.repeat(phone.length - keepHead - 4) + phone.slice(-4);
}

export function maskName(name: string | null): string | null {
  if (!name) return name;
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export function maskEmail(email: string | null): string | null {
  if (!email) return email;
  const at = email.indexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
