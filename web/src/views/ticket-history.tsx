import { useState } from 'preact/hooks';
import type { ReplyMethod, TicketDetail } from '../api/types.ts';
import { label, t } from '../i18n/i18n.ts';
import { formatTime } from './format.ts';

const REPLY_METHODS: ReplyMethod[] = ['phone', 'sms', 'email', 'none'];

/** The replies the citizen got, and the form for the next one. `onReply` resolves true once it is sent. */
export function TicketReplies({ replies, onReply }: { replies: TicketDetail['replies']; onReply: (method: ReplyMethod, text: string) => Promise<boolean> }) {
  const [method, setMethod] = useState<ReplyMethod>('phone');
  const [text, setText] = useState('');

  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) void onReply(method, text.trim()).then((sent) => sent && setText(''));
      }}
    >
      <h3>{t('ticket.reply')}</h3>
      <ul>
        {replies.map((r) => (
          <li key={r.id}>
            <span class="muted">
              {formatTime(r.repliedAt)} · {label('method', r.method)}
            </span>
            <div class="desc">{r.text}</div>
          </li>
        ))}
      </ul>
      <div class="row">
        <select aria-label={t('ticket.replyMethod')} value={method} onChange={(e) => setMethod(e.currentTarget.value as ReplyMethod)}>
          {REPLY_METHODS.map((m) => (
            <option key={m} value={m}>
              {label('method', m)}
            </option>
          ))}
        </select>
        <input aria-label={t('ticket.reply')} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit" disabled={!text.trim()}>
          {t('vehicle.send')}
        </button>
      </div>
    </form>
  );
}

/** Every step of the ticket, who took it and when, then its follow-up visits. */
export function TicketTimeline({ ticket }: { ticket: TicketDetail }) {
  return (
    <>
      <div class="card">
        <h3>{t('ticket.timeline')}</h3>
        <ol class="timeline" data-testid="timeline">
          {ticket.timeline.map((entry) => (
            <li key={entry.id}>
              <span class="muted">{formatTime(entry.at)}</span> {entry.toStatus ? label('status', entry.toStatus) : label('event', entry.kind)} · {entry.actor}
              {entry.note && <div class="desc">{entry.note}</div>}
              {typeof entry.details?.recordingUrl === 'string' && (
                <a class="desc" href={entry.details.recordingUrl} target="_blank" rel="noreferrer">
                  {t('ticket.recording')}
                </a>
              )}
            </li>
          ))}
        </ol>
      </div>
      {ticket.followups.length > 0 && (
        <div class="card">
          <h3>{t('ticket.followUps')}</h3>
          <ul>
            {ticket.followups.map((f) => (
              <li key={f.id}>
                {f.sequence}. {formatTime(f.dueAt)} · {label('method', f.method)} · {label('followup', f.status)} {f.result ?? ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
