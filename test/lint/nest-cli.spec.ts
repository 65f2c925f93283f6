import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const read = <T>(file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as T;

interface NestProject {
  readonly type: 'application' | 'library';
  readonly root: string;
  readonly sourceRoot: string;
  readonly entryFile: string;
  readonly compilerOptions: { readonly tsConfigPath: string };
}

/**
 * nest-cli.json describes the monorepo to the Nest CLI (`nest build api`); tsconfig.build.json is
 * what `npm run build` compiles. They must name the same packages, each with its entry file and
 * tsconfig, so the two builds never drift apart.
 */
describe('nest-cli.json, the Nest CLI monorepo configuration', () => {
  const cli = read<{ monorepo: boolean; projects: Record<string, NestProject> }>('nest-cli.json');
  const build = read<{ references: { path: string }[] }>('tsconfig.build.json');

  it('given the TypeScript build, when compared, then the Nest CLI knows exactly the same packages', () => {
    expect(cli.monorepo).toBe(true);
    expect(
      Object.values(cli.projects)
        .map((p) => p.root)
        .sort(),
    ).toEqual(build.references.map((r) => r.path).sort());
  });

  it.each(Object.entries(cli.projects))(
    'given project %s, when its files are looked up, then its entry file and tsconfig exist',
    (_name, project) => {
      expect(existsSync(join(ROOT, project.sourceRoot, `${project.entryFile}.ts`))).toBe(true);
      expect(existsSync(join(ROOT, project.compilerOptions.tsConfigPath))).toBe(true);
      expect(project.type).toBe(project.root.startsWith('apps/') ? 'application' : 'library');
    },
  );
});
