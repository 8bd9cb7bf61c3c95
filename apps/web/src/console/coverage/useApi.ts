/** Small data-loading helpers shared by the dashboard and event screens. */
import { useEffect, useState } from 'react';
import { api } from '../../api/client';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
}

/**
 * GETs `path` (null: nothing) and again whenever `version` changes. The previous answer stays on
 * screen while the next loads, so live updates do not make tables flicker.
 */
export function useApi<T>(path: string | null, version = 0): Loaded<T> {
  const [state, setState] = useState<Loaded<T> & { path: string | null }>({ data: undefined, error: null, path });
  useEffect(() => {
    if (!path) return;
    let live = true;
    api<T>('GET', path).then(
      (data) => live && setState({ data, error: null, path }),
      (error: unknown) => live && setState((s) => ({ data: s.path === path ? s.data : undefined, error, path })),
    );
    return () => {
      live = false;
    };
  }, [path, version]);
  // An answer for another path (the page moved on to another campaign) is not shown.
  return state.path === path ? state : { data: undefined, error: null };
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
