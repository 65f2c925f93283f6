import { ConfigError, DEV_JWT_SECRET, loadConfig } from './config';

describe('loadConfig', () => {
  it('given no settings, when the api loads its config, then it runs on local defaults without Kafka', () => {
    const config = loadConfig('api', { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' });
    expect(config).toMatchObject({ PORT: 3000, TEMPORAL_ADDRESS: '127.0.0.1:7233', KAFKA_BROKERS: [] });
  });

  it('given several bad values, when loaded, then every one is reported with its key, what is expected and what was given', () => {
    let error: unknown;
    try {
      loadConfig('api', { DATABASE_URL: 'mysql://x', PORT: 'eighty', KAFKA_BROKERS: 'kafka' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL must be a postgres:\/\/ .*\(got "mysql:\/\/x"\)/),
        expect.stringMatching(/^PORT .*\(got "eighty"\)/),
        expect.stringMatching(/^KAFKA_BROKERS must be a comma-separated list of host:port/),
      ]),
    );
  });

  it('given production without Kafka or Temporal settings, when loaded, then it refuses instead of assuming local addresses', () => {
    expect(() => loadConfig('worker', { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' })).toThrow(
      /TEMPORAL_ADDRESS is required when NODE_ENV=production[\s\S]*KAFKA_BROKERS is required/,
    );
  });

  it('given a broker list with spaces, when loaded, then it is split into host:port entries', () => {
    const config = loadConfig('worker', { DATABASE_URL: 'postgres://db/x', KAFKA_BROKERS: 'a:9092, b:9093' });
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
  });

  it('given PORT in the environment, when the worker loads its config, then it ignores it (the worker serves no HTTP)', () => {
    expect(loadConfig('worker', { DATABASE_URL: 'postgres://db/x', PORT: 'not-a-port' }).PORT).toBe(3000);
  });

  describe('JWT_SECRET', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/x',
      TEMPORAL_ADDRESS: 'temporal:7233',
      KAFKA_BROKERS: 'kafka:9092',
    };
    const secret = 'a'.repeat(32);

    it('given no JWT_SECRET outside production, when the api loads its config, then it uses the development secret', () => {
      const config = loadConfig('api', { DATABASE_URL: 'postgres://db/x' });
      expect(config.JWT_SECRET).toBe(DEV_JWT_SECRET);
      expect(DEV_JWT_SECRET).toMatch(/^dev-only-/);
      expect(DEV_JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    });

    it('given a JWT_SECRET of 32 characters, when the api loads its config, then it is used', () => {
      expect(loadConfig('api', { ...production, JWT_SECRET: secret, NOTICE_LINK_SECRET: secret }).JWT_SECRET).toBe(
        secret,
      );
    });

    it('given production without JWT_SECRET, when the api loads its config, then it refuses', () => {
      expect(() => loadConfig('api', production)).toThrow(/JWT_SECRET is required when NODE_ENV=production/);
    });

    it('given production without JWT_SECRET, when the worker loads its config, then it starts (the worker never reads it)', () => {
      expect(() => loadConfig('worker', production)).not.toThrow();
    });

    it('given production with the development secret, when the api loads its config, then it refuses', () => {
      expect(() => loadConfig('api', { ...production, JWT_SECRET: DEV_JWT_SECRET })).toThrow(
        /JWT_SECRET is the public development secret/,
      );
    });

    it('given a short JWT_SECRET, when the api loads its config, then it says how long it must be without echoing it', () => {
      let error: unknown;
      try {
        loadConfig('api', { DATABASE_URL: 'postgres://db/x', JWT_SECRET: 'hunter2' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'JWT_SECRET must be at least 32 characters of random text, e.g. from `openssl rand -base64 48` (got 7 characters)',
      ]);
      expect((error as Error).message).not.toContain('hunter2');
    });
  });

  it('given DEMO_MODE, when loaded, then it is a boolean, off by default and refused in production', () => {
    expect(loadConfig('api', { DATABASE_URL: 'postgres://db/x' }).DEMO_MODE).toBe(false);
    expect(loadConfig('api', { DATABASE_URL: 'postgres://db/x', DEMO_MODE: 'true' }).DEMO_MODE).toBe(true);
    expect(() => loadConfig('api', { DATABASE_URL: 'postgres://db/x', DEMO_MODE: 'yes' })).toThrow(
      /DEMO_MODE must be true or false/,
    );
    expect(() =>
      loadConfig('api', {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://db/x',
        TEMPORAL_ADDRESS: 't:7233',
        KAFKA_BROKERS: 'k:9092',
        JWT_SECRET: 'x'.repeat(40),
        DEMO_MODE: 'true',
      }),
    ).toThrow(/DEMO_MODE=true is refused when NODE_ENV=production/);
  });

  describe('notifier', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/x',
      TEMPORAL_ADDRESS: 'temporal:7233',
      KAFKA_BROKERS: 'kafka:9092',
    };

    it('given no settings, when the notifier loads its config, then it sends to the local capture server with about an hour of retries', () => {
      const config = loadConfig('notifier', { DATABASE_URL: 'postgres://db/x' });
      expect(config).toMatchObject({
        SMTP_URL: 'smtp://127.0.0.1:2525',
        NOTIFIER_TASK_QUEUE: 'warm-handover-notices',
        NOTICE_RETRY_INITIAL_SECONDS: 30,
        NOTICE_RETRY_MAX_SECONDS: 3600,
        NOTICE_MAX_ATTEMPTS: 8,
      });
    });

    it('given the acknowledgement timeout, when loaded, then it is one working day by default, working days or a duration when set, and anything else is refused', () => {
      const base = { DATABASE_URL: 'postgres://db/x' };
      expect(loadConfig('notifier', base)).toMatchObject({ NOTICE_ACK_TIMEOUT: 1, NOTICE_REPEAT_SECONDS: 86400 });
      expect(loadConfig('notifier', { ...base, NOTICE_ACK_TIMEOUT: '2' }).NOTICE_ACK_TIMEOUT).toBe(2);
      expect(loadConfig('notifier', { ...base, NOTICE_ACK_TIMEOUT: 'PT30S' }).NOTICE_ACK_TIMEOUT).toBe('PT30S');
      for (const wrong of ['0', '6', 'a day', 'P', 'PT'])
        expect(() => loadConfig('notifier', { ...base, NOTICE_ACK_TIMEOUT: wrong })).toThrow(
          /NOTICE_ACK_TIMEOUT must be a whole number of working days from 1 to 5/,
        );
    });

    it('given production without mail settings, when the notifier loads its config, then it names each one it needs', () => {
      expect(() => loadConfig('notifier', production)).toThrow(
        /SMTP_URL is required[\s\S]*PUBLIC_BASE_URL is required[\s\S]*NOTICE_LINK_SECRET is required/,
      );
    });

    it('given bad notifier values, when loaded, then each is reported and a secret in the SMTP URL is not echoed', () => {
      let error: unknown;
      try {
        loadConfig('notifier', {
          DATABASE_URL: 'postgres://db/x',
          SMTP_URL: 'http://user:hunter2@mail',
          NOTICE_FROM: 'not-an-address',
          PUBLIC_BASE_URL: 'ftp://x',
          NOTICE_MAX_ATTEMPTS: '0',
        });
      } catch (e) {
        error = e;
      }
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
      expect(problems).not.toContain('hunter2');
      expect(problems).toMatch(/NOTICE_FROM must be the functional sender address/);
      expect(problems).toMatch(/PUBLIC_BASE_URL must be the http\(s\):\/\/ URL/);
      expect(problems).toMatch(/NOTICE_MAX_ATTEMPTS must be at least 1/);
    });
  });

  it('given the worker cache and api command timeout settings, when loaded, then whole numbers in range are used and others refused', () => {
    const worker = loadConfig('worker', {
      DATABASE_URL: 'postgres://db/x',
      TEMPORAL_MAX_CACHED_WORKFLOWS: '800',
      TEMPORAL_WORKFLOW_THREADS: '3',
    });
    expect(worker).toMatchObject({ TEMPORAL_MAX_CACHED_WORKFLOWS: 800, TEMPORAL_WORKFLOW_THREADS: 3 });
    expect(loadConfig('api', { DATABASE_URL: 'postgres://db/x' }).TEMPORAL_COMMAND_TIMEOUT_MS).toBe(10_000);
    expect(() =>
      loadConfig('worker', {
        DATABASE_URL: 'postgres://db/x',
        TEMPORAL_MAX_CACHED_WORKFLOWS: '1',
        TEMPORAL_WORKFLOW_THREADS: 'two',
      }),
    ).toThrow(
      /TEMPORAL_MAX_CACHED_WORKFLOWS must be from 2 to 100000[\s\S]*TEMPORAL_WORKFLOW_THREADS must be a whole number/,
    );
    expect(() => loadConfig('api', { DATABASE_URL: 'postgres://db/x', TEMPORAL_COMMAND_TIMEOUT_MS: '0.5' })).toThrow(
      /TEMPORAL_COMMAND_TIMEOUT_MS must be a whole number/,
    );
  });
});
