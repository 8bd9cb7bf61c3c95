/**
 * Closes the app on SIGTERM or SIGINT (Nest runs every shutdown hook: HTTP server, queues and
 * workers, database pool, Redis), then exits 0; a second signal, or a close that hangs, exits at once.
 */
export function closeOnSignals(app: { close(): Promise<void> }, log: (message: string) => void, graceMs = 15_000): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    log(`${signal} received: shutting down`);
    setTimeout(() => process.exit(1), graceMs).unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('shutdown failed', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
