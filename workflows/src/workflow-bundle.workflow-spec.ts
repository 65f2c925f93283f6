import { workflowBundle } from '../../test/support/temporal';

/**
 * Every workflow the worker keeps cached holds its own copy of the bundle's module state, so
 * what the bundle pulls in is paid per open handover (bench/RESULTS.md, workflow-memory). The
 * lint rule keeps workflows/ on `@warm-handover/domain/workflow`; this checks what actually
 * ends up in the bundle, whichever import brought it.
 */
describe('workflow bundle', () => {
  it('given the workflows, when bundled, then no calendar data or organisation directory is in it', async () => {
    const { code } = await workflowBundle();
    const modules = [...code.matchAll(/^\/\*\*\*\/ "(.+)"$/gm)].map((m) => m[1]!);
    expect(modules).toContain('./libs/domain/src/workflow.ts');
    expect(modules.filter((m) => /date-holidays|astronomia|moment-timezone|working-days|directory/.test(m))).toEqual(
      [],
    );
    // The bare SDK alone is about 1.6 MB; the full domain index made it 8.4 MB.
    expect(code.length).toBeLessThan(3 * 1024 * 1024);
  });
});
