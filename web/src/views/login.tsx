import { useState } from 'preact/hooks';
import { login } from '../api/client.ts';
import { currentLanguage, t } from '../i18n/i18n.ts';
import { chooseLanguage } from './settings.ts';
import { useLanguage } from './hooks.ts';

export function Login({ onDone }: { onDone: () => void }) {
  useLanguage();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      await login(username, password);
      onDone();
    } catch (e) {
      setError(t('login.failed', { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="login">
      <form class="card login-card" onSubmit={submit}>
        <h1>{t('app.title')}</h1>
        <h2>{t('login.title')}</h2>
        <label>
          {t('login.username')}
          <input name="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} autofocus />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>
          {t('login.submit')}
        </button>
        <button type="button" class="link" onClick={() => chooseLanguage(currentLanguage() === 'zh' ? 'en' : 'zh')}>
          {t('app.language')}
        </button>
      </form>
    </main>
  );
}
