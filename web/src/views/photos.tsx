import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { TicketDetail } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';

/** A ticket's photos. They need the bearer token, so they are fetched as blobs rather than linked. */
export function Photos({ ticketId, attachments }: { ticketId: number; attachments: TicketDetail['attachments'] }) {
  const [urls, setUrls] = useState<Array<{ id: number; url: string; name: string }>>([]);
  const images = attachments.filter((a) => a.contentType.startsWith('image/'));
  const key = images.map((a) => a.id).join(',');

  useEffect(() => {
    let live = true;
    const made: string[] = [];
    void Promise.all(
      images.map(async (a) => {
        const url = URL.createObjectURL(await api.attachment(ticketId, a.id));
        made.push(url);
        return { id: a.id, url, name: a.fileName };
      }),
    ).then((loaded) => live && setUrls(loaded), () => undefined);
    return () => {
      live = false;
      made.forEach((url) => URL.revokeObjectURL(url));
    };
  }, [ticketId, key]);

  if (images.length === 0) return null;
  return (
    <div class="card">
      <h3>{t('ticket.photos')}</h3>
      <div class="photos">
        {urls.map((p) => (
          <a key={p.id} href={p.url} target="_blank" rel="noreferrer" title={p.name}>
            <img src={p.url} alt={p.name} loading="lazy" />
          </a>
        ))}
      </div>
    </div>
  );
}
