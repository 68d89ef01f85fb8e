export const ALARM_STATES = ['open', 'acknowledged', 'assigned', 'resolved'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export const ALARM_ACTIONS = ['acknowledge', 'assign', 'resolve'] as const;
export type AlarmAction = (typeof ALARM_ACTIONS)[number];

/** Each action, the one state it starts from and the state it leads to; nothing else is allowed. */
export const ALARM_STEPS: Record<AlarmAction, { from: readonly AlarmState[]; to: AlarmState }> = {
  acknowledge: { from: ['open'], to: 'acknowledged' },
  // Reassigning an assigned alarm to someone else is the same step again.
  assign: { from: ['acknowledged', 'assigned'], to: 'assigned' },
  resolve: { from: ['assigned'], to: 'resolved' },
};

/** The state `action` leads to from `state`, or the reason it may not be taken (the API's 409 message). */
export function nextAlarmState(state: AlarmState, action: AlarmAction): { to: AlarmState } | { refused: string } {
  const step = ALARM_STEPS[action];
  if (step.from.includes(state)) return { to: step.to };
  if (state === 'resolved') return { refused: `the alarm is already resolved; it cannot be ${pastTense(action)}` };
  const needed = step.from.join(' or ');
  return { refused: `an alarm must be ${needed} to be ${pastTense(action)}; this one is ${state}` };
}

function pastTense(action: AlarmAction): string {
  return { acknowledge: 'acknowledged', assign: 'assigned', resolve: 'resolved' }[action];
}
