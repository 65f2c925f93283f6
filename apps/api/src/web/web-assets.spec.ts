import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAssets } from './web-assets';

describe('loadAssets', () => {
  it('given no token file, then the web app serves the Utrecht design tokens and the NL Design System components', () => {
    const assets = loadAssets();
    expect(assets.get('tokens.css')!.body).toContain('.utrecht-theme');
    expect(assets.get('components.css')!.body).toContain('.utrecht-button');
    expect(assets.get('app.js')!.body).toContain("new EventSource('/app/werk/live' + (since ? '?sinds='");
  });

  it('given an organisation’s token file, then it is served in place of the Utrecht tokens, with its own ETag', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wh-theme-'));
    try {
      const file = join(dir, 'huisstijl.css');
      writeFileSync(file, '.utrecht-theme { --utrecht-button-primary-action-background-color: #154273; }');
      const own = loadAssets(file).get('tokens.css')!;
      expect(own.body).toContain('#154273');
      expect(own.etag).not.toBe(loadAssets().get('tokens.css')!.etag);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
