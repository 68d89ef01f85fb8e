/**
 * Strings of the statistics and evaluation pages, both languages side by side like strings.ts, kept apart so
 * that those pages ship without touching the console's main table.
 */
import { currentLanguage } from './i18n.ts';

const STRINGS = {
  'stats.title': { en: 'Statistics', zh: '统计分析' },
  'stats.from': { en: 'From', zh: '开始日期' },
  'stats.to': { en: 'To', zh: '结束日期' },
  'stats.groupBy': { en: 'Group by', zh: '分组' },
  'stats.unit': { en: 'Unit', zh: '单位' },
  'stats.allUnits': { en: 'All my units', zh: '本单位及下级' },
  'stats.print': { en: 'Printable report', zh: '打印报表' },
  'stats.total': { en: 'Registered', zh: '受理数' },
  'stats.due': { en: 'Due', zh: '应结案数' },
  'stats.closed': { en: 'Closed', zh: '结案数' },
  'stats.closedOnTime': { en: 'Closed on time', zh: '按期结案数' },
  'stats.closureRate': { en: 'Closure rate', zh: '结案率' },
  'stats.onTimeRate': { en: 'On-time closure rate', zh: '按期结案率' },
  'stats.reworkRate': { en: 'Rework rate', zh: '返工率' },
  'stats.satisfaction': { en: 'Satisfaction', zh: '满意率' },
  'stats.definitions': { en: 'Definitions', zh: '统计口径' },
  'stats.volume': { en: 'Volume per day', zh: '每日受理量' },
  'stats.groups': { en: 'Tickets per group', zh: '分组受理量' },
  'stats.channels': { en: 'Channels', zh: '来源渠道' },
  'stats.durations': { en: 'Handling and response times', zh: '处置与响应时长' },
  'stats.workload': { en: 'Staff workload', zh: '人员工作量' },
  'stats.followups': { en: 'Follow-up results', zh: '回访结果' },
  'stats.vehicles': { en: 'Vehicle mileage per day (km)', zh: '车辆日里程（公里）' },
  'stats.vehicle': { en: 'Vehicle', zh: '车辆' },
  'stats.plate': { en: 'Plate', zh: '车牌' },
  'stats.daysReporting': { en: 'Days reporting', zh: '在线天数' },
  'stats.distanceKm': { en: 'Distance km', zh: '里程(公里)' },
  'stats.movingH': { en: 'Moving h', zh: '行驶(小时)' },
  'stats.onDutyH': { en: 'On duty h', zh: '在岗(小时)' },
  'stats.hotspots': { en: 'Recurring hotspots', zh: '高发点位' },
  'stats.csv': { en: 'CSV', zh: 'CSV' },
  'stats.xlsx': { en: 'Excel', zh: 'Excel' },
  'eval.title': { en: 'Enforcement evaluation', zh: '执法评议' },
  'eval.campaign': { en: 'Campaign', zh: '评议活动' },
  'eval.none': { en: 'No campaign yet', zh: '暂无评议活动' },
  'eval.stages': { en: 'Stages and deadlines', zh: '阶段与截止时间' },
  'eval.reminders': { en: 'Units yet to file', zh: '待报送单位' },
  'eval.sessions': { en: 'Public evaluation sessions', zh: '公开评议会' },
  'eval.ranking': { en: 'Ranking', zh: '排名' },
  'eval.formula': { en: 'Formula', zh: '计分办法' },
  'eval.rank': { en: 'Rank', zh: '名次' },
  'eval.score': { en: 'Score', zh: '总分' },
  'eval.work': { en: 'Work performance (30 %)', zh: '工作实绩（30%）' },
  'eval.public': { en: 'Public evaluation (70 %)', zh: '公众评议（70%）' },
  'eval.commended': { en: 'Commended', zh: '通报表扬' },
  'eval.special_supervision': { en: 'Special supervision', zh: '重点督办' },
  'eval.raters': { en: 'Raters', zh: '评议人数' },
  'eval.final': { en: 'Final', zh: '已定稿' },
  'eval.open': { en: 'Open', zh: '未定稿' },
  'eval.trace': { en: 'Tickets', zh: '工单明细' },
} as const;

export type StatsStringKey = keyof typeof STRINGS;

export function ts(key: StatsStringKey): string {
  return STRINGS[key][currentLanguage()];
}
