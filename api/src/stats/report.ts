import type { SqlClient } from '@urbanlink/db';
import { DEFINITIONS } from './definitions.ts';
import type { Report } from './html.ts';
import { durationStats, hotspotStats, satisfactionStats, ticketStats, vehicleStats, workloadStats } from './statistics.ts';
import { durationTable, hotspotTable, satisfactionTable, ticketTable, vehicleTable, workloadTable } from './tables.ts';
import { percent } from './table.ts';
import type { ResolvedWindow } from './window.ts';

/** The period's statistics on paper: headline rates with their definitions, then every table. */
export async function statsReport(db: SqlClient, w: ResolvedWindow, scopeName: string): Promise<Report> {
  const [byCategory, byChannel, byDistrict, byMonth, durations, satisfaction, workload, vehicles, hotspots] = await Promise.all([
    ticketStats(db, w, 'category'),
    ticketStats(db, w, 'channel'),
    ticketStats(db, w, 'district'),
    ticketStats(db, w, 'month'),
    durationStats(db, w),
    satisfactionStats(db, w),
    workloadStats(db, w),
    vehicleStats(db, w),
    hotspotStats(db, w, { cellMeters: 200, minCount: 3, limit: 30 }),
  ]);
  const s = byCategory;
  const pct = (r: number | null) => (r === null ? '—' : `${percent(r)}%`);
  return {
    title: 'Statistics report 统计报表',
    subtitle: `${scopeName} · ${s.from} – ${s.to} (as of 截至 ${s.asOf}, ${s.timeZone})`,
    sections: [
      {
        heading: 'Summary 概况',
        paragraphs: [
          `Registered 受理 ${s.total} · due 应结案 ${s.due} · closed 结案 ${s.closed} · closed on time 按期结案 ${s.closedOnTime} · overdue open 超期未结 ${s.overdueOpen}`,
          `Closure rate 结案率 ${pct(s.closureRate)} · on-time closure rate 按期结案率 ${pct(s.onTimeRate)} · rework rate 返工率 ${pct(s.reworkRate)} · satisfaction 满意率 ${pct(satisfaction.satisfactionRate)}`,
        ],
      },
      { heading: 'Definitions 口径', paragraphs: Object.values(DEFINITIONS).map((d) => `${d.zh} ${d.en}`) },
      { heading: 'By category 按类别', table: ticketTable(byCategory) },
      { heading: 'By channel 按渠道', table: ticketTable(byChannel) },
      { heading: 'By district 按区局', table: ticketTable(byDistrict) },
      { heading: 'By month 按月', table: ticketTable(byMonth) },
      { heading: 'Times 时长', table: durationTable(durations) },
      { heading: 'Follow-up satisfaction 回访满意度', table: satisfactionTable(satisfaction) },
      { heading: 'Staff workload 人员工作量', table: workloadTable(workload) },
      { heading: 'Vehicles 车辆', paragraphs: [`Distance 总里程 ${Math.round(vehicles.totals.distanceM / 1000)} km · moving 行驶 ${Math.round(vehicles.totals.movingS / 3600)} h · on duty 在岗 ${Math.round(vehicles.totals.onDutyS / 3600)} h · vehicle-days 车日 ${vehicles.totals.vehicleDays}`], table: vehicleTable(vehicles) },
      { heading: 'Recurring hotspots 高发点位', table: hotspotTable(hotspots) },
    ],
  };
}
