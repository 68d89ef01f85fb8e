/**
 * The order as the driver reads it on the terminal's display: number, category, address. Displays are
 * small and JT/T 808 text travels as GBK, so the text is kept short and cut at a character boundary.
 */
export const MAX_DISPATCH_TEXT_CHARS = 100;

export function dispatchText(order: { number: string; category: string; address: string | null; priority: string }): string {
  const urgency = order.priority === 'normal' ? '' : order.priority === 'major' ? '[重大]' : '[紧急]';
  const text = `${urgency}派遣 工单${order.number} ${order.category} ${order.address ?? ''}`.trim();
  const chars = [...text];
  return chars.length <= MAX_DISPATCH_TEXT_CHARS ? text : chars.slice(0, MAX_DISPATCH_TEXT_CHARS).join('');
}
