/**
 * Reads the coverage stream (server-sent events). EventSource cannot send an Authorization header
 * and the token must never appear in a URL (it would land in logs and history), so the stream is
 * read with fetch() and parsed here: blocks separated by a blank line, `data:` lines joined.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { accessToken } from '../../api/client';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

/** Waits after a dropped stream: 1 s, 2 s, 4 s... up to 30 s, back to 1 s once a stream opens. */
export const backoff = (failures: number) => Math.min(30_000, 1_000 * 2 ** Math.max(0, failures - 1));

/** Splits what has arrived so far into complete events' data; the rest waits for more bytes. */
export function parseEvents(buffer: string): { events: string[]; rest: string } {
  const events: string[] = [];
  const text = buffer.replace(/\r\n?/g, '\n');
  let start = 0;
  let end: number;
  while ((end = text.indexOf('\n\n', start)) >= 0) {
    const data = text
      .slice(start, end)
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data) events.push(data);
    start = end + 2;
  }
  return { events, rest: text.slice(start) };
}

/**
 * Calls `onData` with each event's parsed JSON, for as long as the component is mounted, and says
 * whether the stream is live. A dropped stream is opened again after a growing pause.
 */
export function useEventStream<T>(path: string, onData: (data: T) => void): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const handler = useRef(onData);
  // The latest handler, without reopening the stream each render.
  useLayoutEffect(() => {
    handler.current = onData;
  });

  useEffect(() => {
    const controller = new AbortController();
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;

    const connect = async () => {
      try {
        const token = await accessToken();
        const res = await fetch(path, {
          headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        let opened = false;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          const parsed = parseEvents(buffer);
          buffer = parsed.rest;
          for (const data of parsed.events) {
            if (!opened) {
              opened = true;
              failures = 0;
              setState('live');
            }
            try {
              handler.current(JSON.parse(data) as T);
            } catch {
              /* a malformed event is skipped; the next one carries the whole figures again */
            }
          }
        }
      } catch {
        if (stopped) return;
      }
      if (stopped) return;
      failures += 1;
      setState('reconnecting');
      timer = setTimeout(() => void connect(), backoff(failures));
    };
    void connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      controller.abort();
    };
  }, [path]);

  return state;
}
