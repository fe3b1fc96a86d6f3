import type { Logger } from './logger.ts';
import { describeError } from './errors.ts';

type Hook = () => Promise<void>;

/**
 * Graceful shutdown for long-running services: on SIGTERM or SIGINT, run the registered hooks in
 * reverse order of registration (stop consuming before closing the producer, the producer before the
 * HTTP server), then exit 0. A second signal, or hooks that take longer than `graceMs`, exit 1 at
 * once. An uncaught error is logged and exits 1 (crash on the unknown).
 */
export class Shutdown {
  private readonly hooks: { name: string; run: Hook }[] = [];
  private started = false;
  private readonly stopped: Promise<void>;
  private resolveStopped!: () => void;

  constructor(
    private readonly log: Logger,
    private readonly graceMs = 30_000,
  ) {
    this.stopped = new Promise((resolve) => (this.resolveStopped = resolve));
  }

  /** Install signal and crash handlers for this process. */
  install(): this {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.on(signal, () => {
        if (this.started) {
          this.log.warn({ signal }, 'second signal: exiting now');
          process.exit(1);
        }
        this.log.info({ signal }, 'shutting down');
        void this.run(0);
      });
    }
    process.on('uncaughtException', (error) => this.crash(error));
    process.on('unhandledRejection', (error) => this.crash(error));
    return this;
  }

  /** Register a hook; hooks run last-registered first. */
  add(name: string, run: Hook): void {
    this.hooks.push({ name, run });
  }

  /** True once shutdown has begun. */
  get stopping(): boolean {
    return this.started;
  }

  /** Resolves when shutdown has begun (e.g. to end a run loop). */
  whenStopping(): Promise<void> {
    return this.stopped;
  }

  /** Run the hooks and exit with `code` (also used after a fatal error, with code 1). */
  async run(code: number): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.resolveStopped();
    const timer = setTimeout(() => {
      this.log.error({ graceMs: this.graceMs }, 'shutdown took too long: exiting');
      process.exit(1);
    }, this.graceMs);
    timer.unref();
    let exitCode = code;
    for (const hook of [...this.hooks].reverse()) {
      try {
        await hook.run();
      } catch (error) {
        exitCode = 1;
        this.log.error({ hook: hook.name, err: describeError(error) }, 'shutdown hook failed');
      }
    }
    this.log.info({ exitCode }, 'stopped');
    process.exit(exitCode);
  }

  private crash(error: unknown): void {
    this.log.fatal({ err: error }, 'unexpected error');
    void this.run(1);
  }
}
