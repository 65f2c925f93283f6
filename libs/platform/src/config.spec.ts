import {
  ConfigError,
  DEV_JWT_SECRET,
  DEV_NOTICE_LINK_SECRET,
  DEV_SUBJECT_PSEUDONYM_KEY,
  DEV_WEBHOOK_SECRET_KEY,
  loadConfig,
} from './config';

/** Local use: the public development secrets are used only with an explicit NODE_ENV. */
const DEV = { NODE_ENV: 'development' } as const;

describe('loadConfig', () => {
  it('given no settings, when the api loads its config, then it runs on local defaults without Kafka', () => {
    const config = loadConfig('api', { ...DEV, DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' });
    expect(config).toMatchObject({ PORT: 3000, TEMPORAL_ADDRESS: '127.0.0.1:7233', KAFKA_BROKERS: [] });
  });

  it('given several bad values, when loaded, then every one is reported with its key, what is expected and what was given', () => {
    let error: unknown;
    try {
      loadConfig('api', { ...DEV, DATABASE_URL: 'mysql://x', PORT: 'eighty', KAFKA_BROKERS: 'kafka' });
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
    const config = loadConfig('worker', { ...DEV, DATABASE_URL: 'postgres://db/x', KAFKA_BROKERS: 'a:9092, b:9093' });
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
  });

  it('given PORT in the environment, when the worker loads its config, then it ignores it (the worker serves no HTTP)', () => {
    expect(loadConfig('worker', { ...DEV, DATABASE_URL: 'postgres://db/x', PORT: 'not-a-port' }).PORT).toBe(3000);
  });

  describe('identity: JWT_SECRET, OIDC_ISSUERS, SUBJECT_PSEUDONYM_KEY', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/x',
      TEMPORAL_ADDRESS: 'temporal:7233',
      KAFKA_BROKERS: 'kafka:9092',
    };
    const secret = 'a'.repeat(32);
    const entra = {
      name: 'vt-kennemerland-entra',
      issuer: 'https://login.microsoftonline.com/0000/v2.0',
      audience: 'api://warm-handover',
      organisations: ['vt-kennemerland'],
      roles: { 'WarmHandover.Professional': 'professional', 'WarmHandover.TeamLead': 'team-lead' },
    };
    const productionApi = {
      ...production,
      OIDC_ISSUERS: JSON.stringify([entra]),
      SUBJECT_PSEUDONYM_KEY: secret,
      PUBLIC_BASE_URL: 'https://warm-handover.example',
      NOTICE_LINK_SECRET: secret,
      WEBHOOK_SECRET_KEY: secret,
    };

    /** The problems loadConfig reports, or [] when it loads. */
    function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
      try {
        loadConfig('api', env);
        return [];
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
    }

    it('given no JWT_SECRET outside production, when the api loads its config, then it uses the development secret and the development pseudonym key', () => {
      const config = loadConfig('api', { ...DEV, DATABASE_URL: 'postgres://db/x' });
      expect(config.JWT_SECRET).toBe(DEV_JWT_SECRET);
      expect(DEV_JWT_SECRET).toMatch(/^dev-only-/);
      expect(config.SUBJECT_PSEUDONYM_KEY).toBe(DEV_SUBJECT_PSEUDONYM_KEY);
      expect(config.OIDC_ISSUERS).toEqual([]);
    });

    it('given production with issuers, a pseudonym key and no JWT_SECRET, when the api loads its config, then the issuer gets its defaults', () => {
      expect(loadConfig('api', productionApi).OIDC_ISSUERS).toEqual([
        {
          ...entra,
          organisationClaim: 'org',
          roleClaim: 'roles',
          inspector: false,
          maxTokenAgeSeconds: 3600,
          jwksCooldownSeconds: 30,
          jwksMaxAgeSeconds: 600,
        },
      ]);
    });

    it('given production without issuers or pseudonym key, when the api loads its config, then it names both', () => {
      expect(problemsOf(production)).toEqual(
        expect.arrayContaining([
          'OIDC_ISSUERS is required when NODE_ENV=production (no local default is assumed)',
          'SUBJECT_PSEUDONYM_KEY is required when NODE_ENV=production (no local default is assumed)',
        ]),
      );
    });

    it('given production with a JWT_SECRET, when the api loads its config, then shared-secret tokens are refused', () => {
      expect(problemsOf({ ...productionApi, JWT_SECRET: secret })).toEqual([
        'JWT_SECRET is refused when NODE_ENV=production: shared-secret tokens are for development only; remove it and configure OIDC_ISSUERS',
      ]);
    });

    it('given production with the development pseudonym key, when the api loads its config, then it refuses', () => {
      expect(problemsOf({ ...productionApi, SUBJECT_PSEUDONYM_KEY: DEV_SUBJECT_PSEUDONYM_KEY })).toEqual([
        'SUBJECT_PSEUDONYM_KEY is the public development key, refused when NODE_ENV=production; set a random one',
      ]);
    });

    it('given production without JWT_SECRET, when the worker loads its config, then it starts (the worker never reads it)', () => {
      expect(() => loadConfig('worker', production)).not.toThrow();
    });

    it('given bad issuer entries, when the api loads its config, then each problem names the entry and the field, without echoing secrets', () => {
      const problems = problemsOf({
        ...productionApi,
        OIDC_ISSUERS: JSON.stringify([
          entra,
          { ...entra, name: 'broker', issuer: 'http://keycloak.example/realms/x', organisations: '*' },
          { ...entra, name: 'no-audience', issuer: 'https://idp.example', audience: undefined },
          {
            ...entra,
            name: 'inspector-without-flag',
            issuer: 'https://idp2.example',
            roles: { Inspecteur: 'inspector' },
            login: { clientId: 'web', clientSecret: 'hunter2-secret' },
          },
          { ...entra, name: 'vt-kennemerland-entra', issuer: 'https://idp3.example', roles: { x: 'admin' } },
        ]),
      });
      expect(problems).toEqual([
        'OIDC_ISSUERS entry 2 ("broker"): organisations "*" is refused when NODE_ENV=production; list the organisations it speaks for',
        'OIDC_ISSUERS entry 2 ("broker"): issuer must be an https:// URL when NODE_ENV=production',
        'OIDC_ISSUERS entry 3 ("no-audience"): audience is required: the aud tokens must carry for this API',
        'OIDC_ISSUERS entry 4 ("inspector-without-flag"): roles maps a value to inspector but inspector is not true',
        'OIDC_ISSUERS entry 5 ("vt-kennemerland-entra"): roles.x: roles must map claim values to professional, team-lead, manager, director, inspector',
      ]);
      expect(problems.join('\n')).not.toContain('hunter2');
    });

    it('given OIDC_ISSUERS that is not JSON nor a file, when the api loads its config, then it says so', () => {
      expect(
        problemsOf({ ...DEV, DATABASE_URL: 'postgres://db/x', OIDC_ISSUERS: '/nonexistent/issuers.json' }),
      ).toEqual([expect.stringMatching(/^OIDC_ISSUERS is neither a JSON array nor a readable JSON file/)]);
      expect(problemsOf({ ...DEV, DATABASE_URL: 'postgres://db/x', OIDC_ISSUERS: '[{' })).toEqual([
        expect.stringMatching(/^OIDC_ISSUERS is not valid JSON/),
      ]);
    });

    it('given a short JWT_SECRET, when the api loads its config, then it says how long it must be without echoing it', () => {
      let error: unknown;
      try {
        loadConfig('api', { ...DEV, DATABASE_URL: 'postgres://db/x', JWT_SECRET: 'hunter2' });
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
    expect(loadConfig('api', { ...DEV, DATABASE_URL: 'postgres://db/x' }).DEMO_MODE).toBe(false);
    expect(loadConfig('api', { ...DEV, DATABASE_URL: 'postgres://db/x', DEMO_MODE: 'true' }).DEMO_MODE).toBe(true);
    expect(() => loadConfig('api', { ...DEV, DATABASE_URL: 'postgres://db/x', DEMO_MODE: 'yes' })).toThrow(
      /DEMO_MODE must be true or false/,
    );
    expect(() =>
      loadConfig('api', {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://db/x',
        TEMPORAL_ADDRESS: 't:7233',
        KAFKA_BROKERS: 'k:9092',
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
      const config = loadConfig('notifier', { ...DEV, DATABASE_URL: 'postgres://db/x' });
      expect(config).toMatchObject({
        SMTP_URL: 'smtp://127.0.0.1:2525',
        NOTIFIER_TASK_QUEUE: 'warm-handover-notices',
        NOTICE_RETRY_INITIAL_SECONDS: 30,
        NOTICE_RETRY_MAX_SECONDS: 3600,
        NOTICE_MAX_ATTEMPTS: 8,
      });
    });

    it('given the acknowledgement timeout, when loaded, then it is one working day by default, working days or a duration when set, and anything else is refused', () => {
      const base = { ...DEV, DATABASE_URL: 'postgres://db/x' };
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
          ...DEV,
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
      ...DEV,
      DATABASE_URL: 'postgres://db/x',
      TEMPORAL_MAX_CACHED_WORKFLOWS: '800',
      TEMPORAL_WORKFLOW_THREADS: '3',
    });
    expect(worker).toMatchObject({ TEMPORAL_MAX_CACHED_WORKFLOWS: 800, TEMPORAL_WORKFLOW_THREADS: 3 });
    expect(loadConfig('api', { ...DEV, DATABASE_URL: 'postgres://db/x' }).TEMPORAL_COMMAND_TIMEOUT_MS).toBe(10_000);
    expect(() =>
      loadConfig('worker', {
        ...DEV,
        DATABASE_URL: 'postgres://db/x',
        TEMPORAL_MAX_CACHED_WORKFLOWS: '1',
        TEMPORAL_WORKFLOW_THREADS: 'two',
      }),
    ).toThrow(
      /TEMPORAL_MAX_CACHED_WORKFLOWS must be from 2 to 100000[\s\S]*TEMPORAL_WORKFLOW_THREADS must be a whole number/,
    );
    expect(() =>
      loadConfig('api', { ...DEV, DATABASE_URL: 'postgres://db/x', TEMPORAL_COMMAND_TIMEOUT_MS: '0.5' }),
    ).toThrow(/TEMPORAL_COMMAND_TIMEOUT_MS must be a whole number/);
  });

  it('given the worker and notifier slot and poll settings, when loaded, then they default to 100 slots and 20 polls and refuse values out of range', () => {
    for (const app of ['worker', 'notifier'] as const) {
      expect(loadConfig(app, { ...DEV, DATABASE_URL: 'postgres://db/x' })).toMatchObject({
        TEMPORAL_WORKFLOW_TASK_SLOTS: 100,
        TEMPORAL_POLLERS: 20,
      });
    }
    expect(
      loadConfig('worker', {
        ...DEV,
        DATABASE_URL: 'postgres://db/x',
        TEMPORAL_WORKFLOW_TASK_SLOTS: '40',
        TEMPORAL_POLLERS: '8',
      }),
    ).toMatchObject({ TEMPORAL_WORKFLOW_TASK_SLOTS: 40, TEMPORAL_POLLERS: 8 });
    expect(() =>
      loadConfig('worker', {
        ...DEV,
        DATABASE_URL: 'postgres://db/x',
        TEMPORAL_WORKFLOW_TASK_SLOTS: '1',
        TEMPORAL_POLLERS: 'many',
      }),
    ).toThrow(/TEMPORAL_WORKFLOW_TASK_SLOTS must be from 2 to 2000[\s\S]*TEMPORAL_POLLERS must be a whole number/);
  });

  describe('fail closed: the development secrets and identity settings need NODE_ENV=development or test', () => {
    const problemsOf = (app: 'api' | 'notifier' | 'worker', env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(app, env);
        return [];
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
    };

    it('given no NODE_ENV, when the api loads its config, then each development secret it would use is refused with what to do', () => {
      expect(problemsOf('api', { DATABASE_URL: 'postgres://db/x' })).toEqual([
        expect.stringMatching(
          /^JWT_SECRET is the public development value, .*NODE_ENV is not set\); set NODE_ENV=development/,
        ),
        expect.stringMatching(/^SUBJECT_PSEUDONYM_KEY is the public development value/),
        expect.stringMatching(/^NOTICE_LINK_SECRET is the public development value/),
        expect.stringMatching(/^WEBHOOK_SECRET_KEY is the public development value/),
      ]);
      expect(
        problemsOf('notifier', { DATABASE_URL: 'postgres://db/x', NOTICE_LINK_SECRET: DEV_NOTICE_LINK_SECRET }),
      ).toEqual([
        expect.stringMatching(/^NOTICE_LINK_SECRET is the public development value/),
        expect.stringMatching(/^WEBHOOK_SECRET_KEY is the public development value/),
      ]);
    });

    it('given no NODE_ENV, when the api is given a development identity provider, then it is refused as in production', () => {
      const devIssuer = JSON.stringify([
        {
          name: 'dev',
          issuer: 'http://localhost:9090',
          audience: 'warm-handover',
          organisations: '*',
          roles: { professional: 'professional' },
        },
      ]);
      const secret = 'b'.repeat(32);
      const own = {
        JWT_SECRET: secret,
        SUBJECT_PSEUDONYM_KEY: secret,
        NOTICE_LINK_SECRET: secret,
        WEBHOOK_SECRET_KEY: secret,
      };
      expect(problemsOf('api', { DATABASE_URL: 'postgres://db/x', ...own, OIDC_ISSUERS: devIssuer })).toEqual([
        expect.stringMatching(/organisations "\*" is refused/),
        expect.stringMatching(/issuer must be an https:\/\/ URL/),
      ]);
      expect(problemsOf('api', { NODE_ENV: 'test', DATABASE_URL: 'postgres://db/x', OIDC_ISSUERS: devIssuer })).toEqual(
        [],
      );
    });

    it('given production with the development webhook secret key, when loaded, then it is refused', () => {
      expect(
        problemsOf('notifier', {
          NODE_ENV: 'production',
          DATABASE_URL: 'postgres://db/x',
          TEMPORAL_ADDRESS: 't:7233',
          KAFKA_BROKERS: 'k:9092',
          SMTP_URL: 'smtp://mail:25',
          PUBLIC_BASE_URL: 'https://warm-handover.example',
          NOTICE_LINK_SECRET: 'c'.repeat(32),
          WEBHOOK_SECRET_KEY: DEV_WEBHOOK_SECRET_KEY,
        }),
      ).toEqual([
        'WEBHOOK_SECRET_KEY is the public development key, refused when NODE_ENV=production; set a random one',
      ]);
    });

    it('given WEBHOOK_ALLOWED_HOSTS, when loaded, then names, addresses and ranges are kept and anything else refused', () => {
      expect(
        loadConfig('notifier', {
          ...DEV,
          DATABASE_URL: 'postgres://db/x',
          WEBHOOK_ALLOWED_HOSTS: '127.0.0.1, hooks.internal',
        }).WEBHOOK_ALLOWED_HOSTS,
      ).toEqual([
        { kind: 'range', network: '127.0.0.1', prefix: 32, family: 'ipv4' },
        { kind: 'name', name: 'hooks.internal' },
      ]);
      expect(
        problemsOf('notifier', { ...DEV, DATABASE_URL: 'postgres://db/x', WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/40' }),
      ).toEqual([expect.stringMatching(/^WEBHOOK_ALLOWED_HOSTS entry "10.0.0.0\/40" has a prefix length/)]);
    });
  });
});

describe('OpenTelemetry settings', () => {
  const DB = { ...DEV, DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' };

  it('given none, when each app loads its config, then tracing is off: no endpoint, the standard defaults', () => {
    for (const app of ['api', 'worker', 'notifier'] as const) {
      expect(loadConfig(app, DB)).toMatchObject({
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      });
    }
  });

  it('given a collector and a sampled share, when loaded, then they are kept', () => {
    const config = loadConfig('worker', {
      ...DB,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    expect(config).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER_ARG: 0.25,
    });
  });

  it('given values the apps cannot use, when loaded, then each is refused with what to set', () => {
    expect(() =>
      loadConfig('notifier', {
        ...DB,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4317',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_TRACES_SAMPLER: 'sometimes',
        OTEL_TRACES_SAMPLER_ARG: '2',
      }),
    ).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT must be the http\(s\):\/\/ base URL[\s\S]*OTEL_EXPORTER_OTLP_PROTOCOL must be one of http\/protobuf, http\/json[\s\S]*OTEL_TRACES_SAMPLER must be one of[\s\S]*OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1/,
    );
  });
});
