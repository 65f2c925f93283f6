import { createTestDatabase, requireEnv, type TestDatabase } from '../../test/support/database';
import { eventually } from '../../test/support/notices';
import { type AppProcess, startApp } from './apps';
import { Supervisor } from './supervisor';

/** The built worker under npm start's supervisor, against real PostgreSQL and Temporal. */
describe('npm start supervision (integration)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('wh_supervisor');
  });
  afterAll(() => db.drop());

  it('given the worker running under the supervisor, when it is SIGKILLed, then it is started again and polls again, with a line saying so', async () => {
    const logs: string[] = [];
    const lines: string[] = [];
    let started = 0;
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: requireEnv('TEMPORAL_ADDRESS'),
      KAFKA_BROKERS: '',
      TEMPORAL_TASK_QUEUE: `supervisor-${Date.now()}`,
      LOG_LEVEL: 'info',
    };
    const supervisor = new Supervisor<AppProcess>({
      name: 'worker',
      start: () => {
        const tag = `#${++started}`;
        return startApp('worker', env, (line) => logs.push(`${tag} ${line}`));
      },
      say: (line) => lines.push(line),
      onGiveUp: (reason) => lines.push(`gave up: ${reason}`),
      initialBackoffMs: 200,
    });
    const polling = (tag: string) => logs.some((l) => l.startsWith(`${tag} `) && l.includes('Temporal worker polling'));
    try {
      await eventually('the worker polls', () => Promise.resolve(polling('#1')), 60_000);
      const first = supervisor.current.child;
      first.kill('SIGKILL');
      await eventually('the worker polls again', () => Promise.resolve(polling('#2')), 60_000);
      expect(supervisor.current.child.pid).not.toBe(first.pid);
      expect(lines).toEqual([
        'The worker stopped unexpectedly (killed by SIGKILL); restarting it in 200 ms.',
        'The worker was restarted (restart 1).',
      ]);
    } finally {
      await supervisor.stop();
    }
    expect(supervisor.current.child.exitCode !== null || supervisor.current.child.signalCode !== null).toBe(true);
  });
});
