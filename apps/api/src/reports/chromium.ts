import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/**
 * Headless Chromium (Debian's `chromium` package), driven by playwright-core, which brings no
 * browser of its own. Each use gets a fresh profile that is deleted afterwards, and no request
 * leaves the page: the reports are self-contained and the machines may have no internet.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starting Chromium on a busy 2-core machine takes seconds; longer means it will not start. */
const LAUNCH_TIMEOUT_MS = 60_000;

export class ChromiumUnavailableError extends Error {
  override readonly name = 'ChromiumUnavailableError';
}

/** Runs `use` in a fresh headless Chromium at `executablePath`, and always cleans up after it. */
export async function withChromium<T>(
  executablePath: string,
  use: (context: BrowserContext) => Promise<T>,
  options: { readonly javaScriptEnabled?: boolean } = {},
): Promise<T> {
  try {
    await access(executablePath, constants.X_OK);
  } catch {
    throw new ChromiumUnavailableError(`no executable Chromium at ${executablePath}`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'warm-handover-chromium-'));
  try {
    let context: BrowserContext;
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
        timeout: LAUNCH_TIMEOUT_MS,
        javaScriptEnabled: options.javaScriptEnabled ?? true,
      });
    } catch (error) {
      throw new ChromiumUnavailableError(`Chromium at ${executablePath} did not start: ${(error as Error).message}`);
    }
    try {
      await context.route('**/*', (route) => route.abort());
      return await use(context);
    } finally {
      await context.close();
    }
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
