import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { TicketDetail } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';

interface Props {
  ticketId: number;
  attachments: TicketDetail['attachments'];
  onUploaded: () => void;
}

/** A ticket's photos, and adding one. They need the bearer token, so they are fetched as blobs, not linked. */
export function Photos({ ticketId, attachments, onUploaded }: Props) {
  const [urls, setUrls] = useState<Array<{ id: number; url: string; name: string }>>([]);
  const [error, setError] = useState('');
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

  async function upload(file: File | undefined) {
    if (!file) return;
    setError('');
    try {
      await api.uploadAttachment(ticketId, file);
      onUploaded();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <div class="card">
      <h3>{t('ticket.photos')}</h3>
      <label>
        {t('ticket.addPhoto')}
        <input type="file" accept="image/*" onChange={(e) => void upload(e.currentTarget.files?.[0])} />
      </label>
      {error && <p class="error">{error}</p>}
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
