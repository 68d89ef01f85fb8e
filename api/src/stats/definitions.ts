import type { SatisfactionCounts, TicketCounts } from '@urbanlink/db';

/**
 * The published rules behind every figure, returned with each answer and printed in reports, so that a
 * leader reading a rate knows what it is over. Both languages, as operators read them.
 */
export const DEFINITIONS = {
  period: {
    en: 'Tickets registered in [from, to) within the unit subtree, judged as they stood at asOf = the earlier of `to` and now. Merged duplicates are not counted (their citizens count in the ticket they joined).',
    zh: '统计期内（含开始、不含结束时刻）在本单位及下级单位登记的工单，按统计截止时刻（结束时刻与当前时刻中较早者）的状态计算；被合并的重复工单不计。',
  },
  total: { en: 'Tickets registered (受理数).', zh: '受理数：统计期内登记的工单数。' },
  due: {
    en: 'Tickets due (应结案数): tickets registered in the period that were closed by asOf, or whose closure deadline (限时办结) had passed by asOf. A ticket neither closed nor past its deadline is not yet due.',
    zh: '应结案数：统计期内登记、截至统计截止时刻已结案或已超过办结时限的工单数；尚未结案且未到时限的工单不计入。',
  },
  closed: { en: 'Tickets closed (结案数) by asOf.', zh: '结案数：截至统计截止时刻已结案的工单数。' },
  closedOnTime: {
    en: 'Tickets closed on time (按期结案数): closed no later than the deadline in force when they were closed.',
    zh: '按期结案数：结案时间不晚于结案时有效办结时限的工单数。',
  },
  closureRate: { en: 'Closure rate (结案率) = closed ÷ due.', zh: '结案率 = 结案数 ÷ 应结案数。' },
  onTimeRate: { en: 'On-time closure rate (按期结案率) = closed on time ÷ due.', zh: '按期结案率 = 按期结案数 ÷ 应结案数。' },
  reworkRate: {
    en: 'Rework rate (返工率) = tickets reopened as rework at least once (a dissatisfied follow-up included) ÷ closed.',
    zh: '返工率 = 被重办过的工单数（含回访不满意重办）÷ 结案数。',
  },
  satisfactionRate: {
    en: 'Satisfaction (满意率) = (satisfied + basically satisfied) ÷ follow-up visits that reached the citizen, over visits made in the period.',
    zh: '满意率 =（满意 + 基本满意）÷ 统计期内回访接通数（未接通不计）。',
  },
  durations: {
    en: 'Durations in seconds, each stage from the step before it, over the period\'s tickets that reached the stage; response = cycle start to arrival on scene, handling = cycle start to closure.',
    zh: '时长单位为秒，各环节自上一环节起算，只计已到达该环节的工单；响应时长 = 本轮起始至到场，办结时长 = 本轮起始至结案。',
  },
} as const;

export interface TicketRates {
  closureRate: number | null;
  onTimeRate: number | null;
  reworkRate: number | null;
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export function ticketRates(c: TicketCounts): TicketRates {
  return { closureRate: ratio(c.closed, c.due), onTimeRate: ratio(c.closedOnTime, c.due), reworkRate: ratio(c.reworked, c.closed) };
}

export function satisfactionRate(s: SatisfactionCounts): number | null {
  return ratio(s.satisfied + s.basicallySatisfied, s.satisfied + s.basicallySatisfied + s.dissatisfied);
}

export function sumCounts(rows: readonly TicketCounts[]): TicketCounts {
  const total: TicketCounts = { total: 0, due: 0, closed: 0, closedOnTime: 0, overdueOpen: 0, reworked: 0 };
  for (const row of rows) {
    for (const key of Object.keys(total) as Array<keyof TicketCounts>) total[key] += row[key];
  }
  return total;
}
