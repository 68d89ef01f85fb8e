import type { Campaign, EvaluationSession, Submission } from '@urbanlink/db';
import type { Report } from '../stats/html.ts';
import type { Table } from '../stats/table.ts';
import { FORMULA_TEXT } from './formula.ts';
import type { CampaignResults } from './results.ts';
import { checkSession } from './sessions.ts';
import { MARK_TITLES, RATER_TITLES, STAGE_TITLES, SUBMISSION_TITLES } from './stages.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function resultsTable(r: CampaignResults): Table {
  return {
    title: 'Ranking 排名',
    columns: [
      { key: 'rank', title: 'Rank 名次' }, { key: 'unit', title: 'Unit 单位' }, { key: 'score', title: 'Score 总分' },
      { key: 'work', title: 'Work performance 工作实绩' }, { key: 'public', title: 'Public evaluation 公众评议' },
      { key: 'onTime', title: 'On-time 按期结案' }, { key: 'closure', title: 'Closure 结案' }, { key: 'rework', title: 'Rework 返工' },
      { key: 'satisfaction', title: 'Satisfaction 满意' }, { key: 'due', title: 'Due 应结案数' }, { key: 'closed', title: 'Closed 结案数' },
      { key: 'closedOnTime', title: 'On time 按期结案数' }, { key: 'questionnaires', title: 'Questionnaires 问卷数' }, { key: 'mark', title: 'Mark 结果' },
    ],
    rows: r.results.map((u) => ({
      rank: u.rank, unit: u.unitName, score: u.score, work: u.work.score, public: u.publicScore,
      onTime: u.work.components.onTimeRate, closure: u.work.components.closureRate, rework: u.work.components.rework,
      satisfaction: u.work.components.satisfaction, due: u.measures.due, closed: u.measures.closed, closedOnTime: u.measures.closedOnTime,
      questionnaires: u.questionnaires, mark: u.mark ? MARK_TITLES[u.mark] : null,
    })),
  };
}

/** The whole campaign on paper: stages, ledgers, sessions, the formula, the counts and the ranking. */
export function evaluationReport(campaign: Campaign, results: CampaignResults, sessions: EvaluationSession[], submissions: Submission[]): Report {
  const names = new Map(results.results.map((u) => [u.unitId, u.unitName]));
  return {
    title: `${campaign.title} 执法评议报告`,
    subtitle: `Year 年度 ${campaign.year} · tickets 工单 ${results.from} – ${results.to} (as of 截至 ${results.asOf})`,
    sections: [
      {
        heading: 'Stages 阶段',
        table: {
          title: 'Stages',
          columns: [{ key: 'stage', title: 'Stage 阶段' }, { key: 'startsAt', title: 'Starts 开始' }, { key: 'dueAt', title: 'Deadline 截止' }, { key: 'filed', title: 'Units filed 已报送单位' }],
          rows: campaign.stages.map((s) => ({
            stage: STAGE_TITLES[s.stage], startsAt: iso(s.startsAt), dueAt: iso(s.dueAt),
            filed: `${new Set(submissions.filter((x) => x.stage === s.stage).map((x) => x.unitId)).size} / ${campaign.unitIds.length}`,
          })),
        },
      },
      {
        heading: 'Ledgers 台账',
        table: {
          title: 'Ledgers',
          columns: [{ key: 'unit', title: 'Unit 单位' }, { key: 'stage', title: 'Stage 阶段' }, { key: 'kind', title: 'Kind 类型' }, { key: 'title', title: 'Title 标题' }, { key: 'at', title: 'Filed 报送时间' }],
          rows: submissions.map((s) => ({ unit: s.unitName, stage: STAGE_TITLES[s.stage], kind: SUBMISSION_TITLES[s.kind], title: s.title, at: iso(s.submittedAt) })),
        },
      },
      {
        heading: 'Public evaluation sessions 公开评议会',
        paragraphs: ['A session counts with at least 50 raters, at least 70 % of them citizen representatives or managed parties. 评议会须不少于 50 人，其中群众代表和管理相对人不少于 70%。'],
        table: {
          title: 'Sessions',
          columns: [
            { key: 'title', title: 'Session 评议会' }, { key: 'heldAt', title: 'Held 时间' }, { key: 'raters', title: 'Raters 人数' },
            ...Object.entries(RATER_TITLES).map(([key, title]) => ({ key, title })), { key: 'status', title: 'Status 状态' },
          ],
          rows: sessions.map((s) => {
            const check = checkSession(s.composition);
            const status = s.finalisedAt ? 'Final 已定稿' : check.ok ? 'Open, valid 未定稿（符合条件）' : `Open 未定稿: ${check.reason}`;
            return { title: s.title, heldAt: iso(s.heldAt), raters: s.raters, ...s.composition, status };
          }),
        },
      },
      {
        heading: 'Formula 计分办法',
        paragraphs: [FORMULA_TEXT.zh, FORMULA_TEXT.en, `Weights 权重: ${Object.entries(results.formula).map(([k, v]) => `${k} ${v}`).join(', ')}`],
      },
      { heading: 'Ranking 排名', paragraphs: [`Units evaluated 参评单位: ${[...names.values()].join('、')}`], table: resultsTable(results) },
    ],
  };
}
