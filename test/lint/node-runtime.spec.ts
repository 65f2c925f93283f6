import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Node.js releases with long-term support and the day each one's support ends. */
const LTS_END_OF_LIFE: Record<number, string> = { 22: '2027-04-30', 24: '2028-04-30', 26: '2029-04-30' };

/**
 * One Node.js for the npm scripts, the images and the engines field: the npm-packaged binary in
 * devDependencies is what every `npm start` / `npm test` / `npm run` runs on (npm puts
 * node_modules/.bin first on the scripts' PATH), whatever the machine's own Node.js is.
 */
describe('the Node.js runtime', () => {
  const pkg = JSON.parse(read('package.json')) as {
    engines: { node: string };
    devDependencies: Record<string, string>;
    allowScripts: Record<string, boolean>;
  };
  const pinned = pkg.devDependencies.node ?? '';
  const major = Number(pinned.split('.')[0]);

  it('given package.json, when read, then the scripts run on an exact, supported LTS release', () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(LTS_END_OF_LIFE[major]).toBeDefined();
    expect(new Date(LTS_END_OF_LIFE[major]!).getTime()).toBeGreaterThan(Date.now());
    // The package installs its binary from a preinstall script, which npm must be allowed to run.
    expect(pkg.allowScripts.node).toBe(true);
  });

  it('given the engines field, when compared, then it asks for at least that major', () => {
    expect(pkg.engines.node).toBe(`>=${major}`);
  });

  it('given the Dockerfile, when read, then its image runs the same major', () => {
    const image = /^ARG NODE_IMAGE=node:(\d+)-/m.exec(read('docker/Dockerfile'));
    expect(Number(image?.[1])).toBe(major);
  });

  it('given the running test process, when asked, then it runs on that major too', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(major);
  });
});

/** The compose stack runs the Temporal server the scripts build and test against. */
describe('the Temporal server version', () => {
  it('given docker/compose.yml and the scripts, when compared, then they run the same release, and its schema tool the same minor', () => {
    const compose = read('docker/compose.yml');
    const script = /TEMPORAL_SERVER_VERSION = '(\d+\.\d+\.\d+)'/.exec(read('scripts/infra/temporal-server.ts'))?.[1];
    expect(script).toBeDefined();
    expect(/image: temporalio\/server:(\S+)/.exec(compose)?.[1]).toBe(script);
    const minor = script!.split('.').slice(0, 2).join('.');
    for (const [, tag] of compose.matchAll(/image: temporalio\/admin-tools:(\S+)/g)) {
      expect(tag!.startsWith(`${minor}.`)).toBe(true);
    }
  });
});
