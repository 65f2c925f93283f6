import { spawn } from 'node:child_process';
import { once, EventEmitter } from 'node:events';
import { Supervisor, type SupervisedProcess } from './supervisor';

/** A child that dies when told to. */
class FakeProcess implements SupervisedProcess {
  readonly child = new EventEmitter();
  stopped = false;
  die(code: number | null, signal: NodeJS.Signals | null = null): void {
    this.child.emit('exit', code, signal);
  }
  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}

describe('Supervisor', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function supervise(overrides: { stableAfterMs?: number; maxEarlyDeaths?: number } = {}) {
    const started: FakeProcess[] = [];
    const lines: string[] = [];
    const gaveUp: string[] = [];
    const supervisor = new Supervisor({
      name: 'worker',
      start: () => {
        const process = new FakeProcess();
        started.push(process);
        return process;
      },
      say: (line) => lines.push(line),
      onGiveUp: (reason) => gaveUp.push(reason),
      initialBackoffMs: 1_000,
      maxBackoffMs: 8_000,
      stableAfterMs: 30_000,
      maxEarlyDeaths: 4,
      ...overrides,
    });
    return { supervisor, started, lines, gaveUp };
  }

  it('given a running app, when it is killed, then it is restarted after a backoff with a line saying so, and nothing else stops', () => {
    const { supervisor, started, lines, gaveUp } = supervise();
    jest.advanceTimersByTime(60_000); // it ran fine for a minute
    started[0]!.die(null, 'SIGKILL');
    expect(lines).toEqual(['The worker stopped unexpectedly (killed by SIGKILL); restarting it in 1 s.']);
    expect(started).toHaveLength(1);
    jest.advanceTimersByTime(999);
    expect(started).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(started).toHaveLength(2);
    expect(supervisor.current).toBe(started[1]);
    expect(lines[1]).toBe('The worker was restarted (restart 1).');
    expect(gaveUp).toEqual([]);
  });

  it('given an app that dies young again and again, when it keeps failing, then the backoff doubles and the supervisor gives up', () => {
    const { started, lines, gaveUp } = supervise();
    for (const wait of [1_000, 2_000, 4_000]) {
      started.at(-1)!.die(1);
      jest.advanceTimersByTime(wait);
    }
    expect(lines.filter((l) => l.includes('restarting'))).toEqual([
      'The worker stopped unexpectedly (exit 1); restarting it in 1 s.',
      'The worker stopped unexpectedly (exit 1); restarting it in 2 s.',
      'The worker stopped unexpectedly (exit 1); restarting it in 4 s.',
    ]);
    started.at(-1)!.die(1);
    expect(gaveUp).toEqual([
      'The worker keeps failing at start (4 times in a row, last exit 1); see its log lines above.',
    ]);
    jest.advanceTimersByTime(60_000);
    expect(started).toHaveLength(4);
  });

  it('given an app that refuses its settings (exit 78), when it stops, then the supervisor gives up at once', () => {
    const { started, gaveUp } = supervise();
    started[0]!.die(78);
    expect(gaveUp).toEqual([
      'The worker stopped (exit 78): its settings are wrong, and a restart would not change them; see its log lines above.',
    ]);
    jest.advanceTimersByTime(60_000);
    expect(started).toHaveLength(1);
  });

  it('given an app that crashes after running a while, when it crashes again later, then the backoff starts over', () => {
    const { started, lines } = supervise();
    started[0]!.die(1);
    jest.advanceTimersByTime(1_000);
    jest.advanceTimersByTime(45_000);
    started[1]!.die(1);
    expect(lines.at(-1)).toBe('The worker stopped unexpectedly (exit 1); restarting it in 1 s.');
  });

  it('given Ctrl-C, when the app is stopped, then it is not restarted, even with a restart pending', async () => {
    const { supervisor, started } = supervise();
    started[0]!.die(1);
    await supervisor.stop();
    jest.advanceTimersByTime(60_000);
    expect(started).toHaveLength(1);
    started[0]!.die(0);
    expect(started).toHaveLength(1);
  });

  it('given a real process, when it is SIGKILLed, then a new process is started', async () => {
    jest.useRealTimers();
    const lines: string[] = [];
    const supervisor = new Supervisor({
      name: 'sleeper',
      start: () => {
        const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
        return {
          child,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) {
              child.kill('SIGTERM');
              await once(child, 'exit');
            }
          },
        };
      },
      say: (line) => lines.push(line),
      onGiveUp: () => undefined,
      initialBackoffMs: 50,
    });
    const first = supervisor.current.child;
    first.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(supervisor.restartCount).toBe(1);
    expect(supervisor.current.child.pid).not.toBe(first.pid);
    expect(supervisor.current.child.exitCode).toBeNull();
    expect(lines[0]).toBe('The sleeper stopped unexpectedly (killed by SIGKILL); restarting it in 50 ms.');
    await supervisor.stop();
  });
});
