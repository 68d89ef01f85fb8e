import type { EvaluationStage, RaterKind, SubmissionKind } from '@urbanlink/db';

/** The campaign's four stages in order, as printed on the ledgers. */
export const STAGE_TITLES: Record<EvaluationStage, string> = {
  mobilise: 'Mobilise and deploy 动员部署',
  self_inspection: 'Self-inspection and correction 自查整改',
  supervised_evaluation: 'Supervised evaluation 督查评议',
  summary: 'Summary 总结',
};

export const RATER_TITLES: Record<RaterKind, string> = {
  citizen: 'Citizen representative 群众代表',
  managed_party: 'Managed party 管理相对人',
  supervisor: 'Supervisor 监督员',
  official: 'Official 机关代表',
};

export const SUBMISSION_TITLES: Record<SubmissionKind, string> = {
  plan: 'Plan 工作方案',
  self_inspection_report: 'Self-inspection report 自查报告',
  correction_result: 'Correction result 整改结果',
  summary: 'Summary 总结',
  other: 'Other 其他',
};

export const MARK_TITLES = {
  commended: 'Commended 通报表扬',
  special_supervision: 'Special supervision 重点督办',
} as const;
