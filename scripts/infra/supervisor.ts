/**
 * Keeps an app of `npm start` running the way compose's `restart: unless-stopped` does: when it
 * dies it is started again, after a backoff that doubles while it keeps dying young, with a
 * line saying so. Only an app that keeps failing at start makes the supervisor give up (then
 * `npm start` stops everything and says why); stop() (Ctrl-C) ends it for good.
 */
export interface SupervisedProcess {
  readonly child: {
    once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  };
  stop(graceMs?: number): Promise<void>;
}

export interface SupervisorOptions<P extends SupervisedProcess> {
  readonly name: string;
  /** Starts (again) the app's process. */
  readonly start: () => P;
  readonly say: (line: string) => void;
  /** Called once when the app kept failing at start; the caller stops everything. */
  readonly onGiveUp: (reason: string) => void;
  /** First wait before a restart; doubles per consecutive early death up to maxBackoffMs. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /**
   * A process that ran this long had started fine: its death is a crash, not a failure at
   * start, and the backoff starts over. Long enough for an app to connect and serve.
   */
  readonly stableAfterMs?: number;
  /** Early deaths in a row after which the app counts as failing at start. */
  readonly maxEarlyDeaths?: number;
  /**
   * Exit codes that will not change on a restart: the app gives up at once. 78 (EX_CONFIG) is
   * how the apps say their settings are wrong.
   */
  readonly fatalExitCodes?: readonly number[];
  readonly now?: () => number;
}

export class Supervisor<P extends SupervisedProcess> {
  private process: P;
  private startedAt: number;
  private earlyDeaths = 0;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarts = 0;

  constructor(private readonly options: SupervisorOptions<P>) {
    this.startedAt = this.now();
    this.process = this.launch();
  }

  /** The process running now (a new one after each restart). */
  get current(): P {
    return this.process;
  }

  /** How often the app was started again. */
  get restartCount(): number {
    return this.restarts;
  }

  /** Ends supervision and stops the app: nothing is restarted after this. */
  async stop(graceMs?: number): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    await this.process.stop(graceMs);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private launch(): P {
    this.startedAt = this.now();
    const process = this.options.start();
    process.child.once('exit', (code, signal) => this.died(process, code, signal));
    return process;
  }

  private died(process: P, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopped || process !== this.process) return;
    const { name, say } = this.options;
    const initial = this.options.initialBackoffMs ?? 1_000;
    const max = this.options.maxBackoffMs ?? 30_000;
    const ranMs = this.now() - this.startedAt;
    this.earlyDeaths = ranMs >= (this.options.stableAfterMs ?? 30_000) ? 1 : this.earlyDeaths + 1;
    const how = signal ? `killed by ${signal}` : `exit ${code}`;
    const limit = this.options.maxEarlyDeaths ?? 5;
    if (code !== null && (this.options.fatalExitCodes ?? [78]).includes(code)) {
      this.stopped = true;
      this.options.onGiveUp(
        `The ${name} stopped (exit ${code}): its settings are wrong, and a restart would not change them; see its log lines above.`,
      );
      return;
    }
    if (this.earlyDeaths >= limit) {
      this.stopped = true;
      this.options.onGiveUp(
        `The ${name} keeps failing at start (${limit} times in a row, last ${how}); see its log lines above.`,
      );
      return;
    }
    const backoffMs = Math.min(max, initial * 2 ** (this.earlyDeaths - 1));
    say(`The ${name} stopped unexpectedly (${how}); restarting it in ${formatMs(backoffMs)}.`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopped) return;
      this.restarts += 1;
      this.process = this.launch();
      say(`The ${name} was restarted (restart ${this.restarts}).`);
    }, backoffMs);
  }
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
