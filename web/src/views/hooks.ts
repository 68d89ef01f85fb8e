import { useEffect, useReducer, useState } from 'preact/hooks';
import { onLanguageChange } from '../i18n/i18n.ts';

/** Re-renders the component when the language is switched. */
export function useLanguage(): void {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => onLanguageChange(() => bump(undefined)), []);
}

export interface AsyncState<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change (and on `reload`), keeping the last result while the next one loads. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [generation, reload] = useReducer((n: number) => n + 1, 0);
  const [state, setState] = useState<{ data: T | undefined; error: string | undefined; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error: Error) => live && setState((s) => ({ ...s, error: error.message, loading: false })),
    );
    return () => {
      live = false;
    };
    // `load` is a new closure every render; the caller's deps say when it really changed.
  }, [...deps, generation]);
  return { ...state, reload: () => reload(undefined) };
}

/** Re-renders at most every `ms` while `subscribe`'s source keeps firing (a live list must not redraw per push). */
export function useThrottledSignal(subscribe: (listener: () => void) => () => void, ms: number): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribe(() => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setVersion((v) => v + 1);
      }, ms);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, []);
  return version;
}
