import type { TicketStage } from '@urbanlink/db';
import type { DurationStats, HotspotStats, SatisfactionStats, TicketStats, VehicleStats, WorkloadStats } from './statistics.ts';
import { hours, percent, type Column, type Table } from './table.ts';

const col = (key: string, en: string, zh: string): Column => ({ key, title: `${en} ${zh}` });

const GROUP_TITLES: Record<TicketStats['groupBy'], [string, string]> = {
  category: ['Category', '类别'],
  channel: ['Channel', '来源渠道'],
  unit: ['Unit', '单位'],
  district: ['District', '区局'],
  squad: ['Squad', '中队'],
  priority: ['Priority', '紧急程度'],
  day: ['Day', '日'],
  week: ['Week', '周'],
  month: ['Month', '月'],
};

export function ticketTable(s: TicketStats): Table {
  const [en, zh] = GROUP_TITLES[s.groupBy];
  const row = (key: string | null, label: string | null, g: Omit<TicketStats['groups'][number], 'key' | 'label'>) => ({
    key, label, total: g.total, due: g.due, closed: g.closed, closedOnTime: g.closedOnTime, overdueOpen: g.overdueOpen,
    closureRate: percent(g.closureRate), onTimeRate: percent(g.onTimeRate), reworkRate: percent(g.reworkRate),
  });
  return {
    title: `Tickets by ${en.toLowerCase()} ${zh}`,
    columns: [
      col('key', en, zh), col('label', 'Name', '名称'), col('total', 'Registered', '受理数'), col('due', 'Due', '应结案数'),
      col('closed', 'Closed', '结案数'), col('closedOnTime', 'Closed on time', '按期结案数'), col('overdueOpen', 'Overdue open', '超期未结'),
      col('closureRate', 'Closure rate %', '结案率%'), col('onTimeRate', 'On-time rate %', '按期结案率%'), col('reworkRate', 'Rework rate %', '返工率%'),
    ],
    rows: [...s.groups.map((g) => row(g.key, g.label, g)), row('total', 'Total 合计', s)],
  };
}

const STAGE_TITLES: Record<TicketStage, [string, string]> = {
  accept: ['Acceptance', '立案'],
  dispatch: ['Dispatch', '派遣'],
  arrive: ['Travel to scene', '到场'],
  handle: ['Handling', '处置'],
  verify: ['Verification', '核查'],
  close: ['Closure', '结案'],
  response: ['Response (to arrival)', '响应（至到场）'],
  handling: ['Whole case (to closure)', '办结（至结案）'],
};

export function durationTable(s: DurationStats): Table {
  const rows = (Object.keys(STAGE_TITLES) as TicketStage[]).map((stage) => {
    const d = s.stages[stage];
    return { stage: STAGE_TITLES[stage].join(' '), count: d.count, meanH: hours(d.meanS), medianH: hours(d.medianS), p90H: hours(d.p90S) };
  });
  const ack = s.dispatchAck;
  rows.push({ stage: 'Terminal acknowledgement 终端确认', count: ack.count, meanH: hours(ack.meanS), medianH: hours(ack.medianS), p90H: hours(ack.p90S) });
  return {
    title: 'Handling and response times 处置与响应时长',
    columns: [col('stage', 'Stage', '环节'), col('count', 'Tickets', '工单数'), col('meanH', 'Mean h', '平均(小时)'), col('medianH', 'Median h', '中位数(小时)'), col('p90H', '90th pct h', '90分位(小时)')],
    rows,
  };
}

export function workloadTable(s: WorkloadStats): Table {
  return {
    title: 'Staff workload 人员工作量',
    columns: [
      col('username', 'User', '用户名'), col('name', 'Name', '姓名'), col('role', 'Role', '角色'), col('registered', 'Registered', '登记'),
      col('accepted', 'Accepted', '立案'), col('dispatched', 'Dispatched', '派遣'), col('handled', 'Handled', '处置'), col('closed', 'Closed', '结案'),
      col('followups', 'Follow-ups', '回访'),
    ],
    rows: s.staff.map((w) => ({ ...w })),
  };
}

export function satisfactionTable(s: SatisfactionStats): Table {
  const rows = [
    { result: 'Satisfied 满意', count: s.satisfied },
    { result: 'Basically satisfied 基本满意', count: s.basicallySatisfied },
    { result: 'Dissatisfied 不满意', count: s.dissatisfied },
    { result: 'Unreachable 未接通', count: s.unreachable },
    { result: 'Satisfaction rate % 满意率%', count: percent(s.satisfactionRate) },
  ];
  return { title: 'Follow-up satisfaction 回访满意度', columns: [col('result', 'Result', '结果'), col('count', 'Visits', '回访数')], rows };
}

export function vehicleTable(s: VehicleStats): Table {
  return {
    title: 'Vehicle mileage 车辆里程',
    columns: [
      col('name', 'Vehicle', '车辆'), col('plate', 'Plate', '车牌'), col('days', 'Days reporting', '在线天数'), col('distanceKm', 'Distance km', '里程(公里)'),
      col('movingH', 'Moving h', '行驶(小时)'), col('onDutyH', 'On duty h', '在岗(小时)'), col('kmPerDay', 'km per day', '日均里程'),
    ],
    rows: s.vehicles.map((v) => ({
      name: v.name, plate: v.plate, days: v.days, distanceKm: Math.round(v.distanceM / 100) / 10, movingH: hours(v.movingS), onDutyH: hours(v.onDutyS),
      kmPerDay: v.days > 0 ? Math.round(v.distanceM / v.days / 100) / 10 : null,
    })),
  };
}

export function hotspotTable(s: HotspotStats): Table {
  const half = s.cellDeg / 2;
  return {
    title: 'Recurring hotspots 高发点位',
    columns: [col('lat', 'Lat', '纬度'), col('lon', 'Lon', '经度'), col('category', 'Category', '类别'), col('count', 'Tickets', '工单数')],
    rows: s.recurring.map((h) => ({
      lat: Math.round((h.lat + half) * 1e5) / 1e5, lon: Math.round((h.lon + half) * 1e5) / 1e5,
      category: `${h.categoryCode ?? ''} ${h.categoryName ?? ''}`.trim(), count: h.count,
    })),
  };
}
