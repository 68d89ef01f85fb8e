/** Ticket states in workflow order, as the queue filter and the move menu list them. */
export const STATUSES = ['registered', 'accepted', 'dispatched', 'arrived', 'handled', 'verified', 'closed', 'returned', 'reopened', 'merged'] as const;
