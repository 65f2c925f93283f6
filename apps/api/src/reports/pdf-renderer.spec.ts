import type { AppConfig } from '@warm-handover/platform';
import { ProblemException } from '../http/problem-details.filter';
import { PdfRenderer } from './pdf-renderer';

describe('PDF rendering without a browser', () => {
  it('given no Chromium at CHROMIUM_PATH, when a PDF is asked, then a 503 problem points at the HTML report', async () => {
    const renderer = new PdfRenderer({ CHROMIUM_PATH: '/nonexistent/chromium' } as AppConfig);
    const refusal = await renderer.render('<p>x</p>').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ProblemException);
    expect((refusal as ProblemException).problem).toMatchObject({
      status: 503,
      type: '/problems/pdf-unavailable',
      detail: expect.stringMatching(/no executable Chromium at \/nonexistent\/chromium.*CHROMIUM_PATH.*\?format=html/),
    });
  });
});
