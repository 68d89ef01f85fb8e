import { render } from 'preact';
import { App } from './views/app.tsx';
import { restoreLanguage } from './views/settings.ts';
import './styles.css';

restoreLanguage();
render(<App />, document.getElementById('app')!);
