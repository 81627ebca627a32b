/**
 * PM2's agent, as Colyseus starts it, kept to what Colyseus reports through it.
 *
 * `@colyseus/core` attaches its ccu and room count to PM2 by importing `@pm2/io` wherever the
 * matchmaker is set up (here: the primary, every game process, the embedded one), and that
 * import starts the library's default agent: `process._getActiveHandles()` and
 * `_getActiveRequests()` every second (arrays of every open socket and request: about 1 ms a
 * second with 1,500 clients connected), event-loop and heap sampling, a wrapper around every
 * HTTP request, an inspector session, and handlers for uncaught exceptions and unhandled
 * rejections that print with `console.error` and swallow the rejections, which Node would
 * otherwise end the process for: a process installed with `@colyseus/tools` (development, the
 * benchmark) behaved unlike one without it.
 *
 * `quietPm2Agent` starts it again with all of that off: Colyseus's own two metrics still reach
 * PM2 when the process runs under it. Where `@pm2/io` is not installed (it comes with
 * `@colyseus/tools`), Colyseus's import fails quietly and there is nothing to do.
 */
export async function quietPm2Agent(): Promise<void> {
  let io: { init(config: object): unknown };
  try {
    io = ((await import('@pm2/io')) as unknown as { default: typeof io }).default;
  } catch {
    return;
  }
  io.init({ catchExceptions: false, profiling: false, metrics: { v8: false, network: false, eventLoop: false, runtime: false, http: false } });
  // Its error handlers are registered bound and never removed by its own `destroy`: taken off
  // here by name, which leaves Node's own behaviour (a crash to restart from) as without PM2.
  for (const listener of process.listeners('uncaughtException')) if (PM2_HANDLERS.has(listener.name)) process.removeListener('uncaughtException', listener);
  for (const listener of process.listeners('unhandledRejection')) if (PM2_HANDLERS.has(listener.name)) process.removeListener('unhandledRejection', listener);
}

/** The names of `@pm2/io`'s bound handlers of uncaught errors (its `features/notify.js`). */
const PM2_HANDLERS = new Set(['bound onUncaughtException', 'bound onUnhandledRejection']);
