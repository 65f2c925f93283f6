import { ConfigError, loadConfig } from './config';

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
});
