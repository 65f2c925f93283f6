import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@warm-handover/platform';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { ChromiumUnavailableError, withChromium } from './chromium';

const PDF_RETRY_AFTER_SECONDS = 5;

/**
 * Prints an HTML page to PDF in headless Chromium (CHROMIUM_PATH). One browser at a time: each
 * takes a core and a few hundred MB, and reports are asked for now and then, not in bulk. At most
 * PDF_QUEUE_LIMIT prints are running or waiting; one more is a 429 with Retry-After, so a burst
 * of PDF requests cannot pile up browsers' work and memory. The page runs without JavaScript (the
 * report has none; a script smuggled into it through a name or a reason does nothing). Without a
 * browser the answer is a 503 that points at the HTML report, which prints the same.
 */
@Injectable()
export class PdfRenderer {
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  render(html: string): Promise<Buffer> {
    if (this.pending >= this.config.PDF_QUEUE_LIMIT) {
      throw new ProblemException(
        {
          type: problemType('pdf-queue-full'),
          title: 'Too many PDF reports at once',
          status: 429,
          detail: `${this.pending} PDF reports are being printed or waiting; ask again in a few seconds, or ask for ?format=html and print that page.`,
        },
        { 'Retry-After': String(PDF_RETRY_AFTER_SECONDS) },
      );
    }
    this.pending += 1;
    const run = this.queue.then(() => this.renderNow(html)).finally(() => (this.pending -= 1));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async renderNow(html: string): Promise<Buffer> {
    try {
      return await withChromium(
        this.config.CHROMIUM_PATH,
        async (context) => {
          const page = await context.newPage();
          await page.setContent(html, { waitUntil: 'load' });
          return page.pdf({ format: 'A4', landscape: true, printBackground: true, preferCSSPageSize: true });
        },
        { javaScriptEnabled: false },
      );
    } catch (error) {
      if (!(error instanceof ChromiumUnavailableError)) throw error;
      throw new ProblemException({
        type: problemType('pdf-unavailable'),
        title: 'PDF rendering unavailable',
        status: 503,
        detail: `The PDF is printed by headless Chromium, which this server cannot run (${error.message}). Ask the operator to install Debian's chromium or set CHROMIUM_PATH; meanwhile ask for ?format=html and print that page.`,
      });
    }
  }
}
