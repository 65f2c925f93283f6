import { temporalEngine } from './temporal';

describe('TEMPORAL_ENGINE, the setting that picks the Temporal the scripts start', () => {
  it('given nothing set, when read, then it is the quick dev server', () => {
    expect(temporalEngine({})).toBe('dev-server');
    expect(temporalEngine({ TEMPORAL_ENGINE: ' ' })).toBe('dev-server');
  });

  it('given server, when read, then it is the Temporal server on PostgreSQL', () => {
    expect(temporalEngine({ TEMPORAL_ENGINE: 'server' })).toBe('server');
  });

  it('given a misspelling, when read, then the start stops and says which values exist', () => {
    expect(() => temporalEngine({ TEMPORAL_ENGINE: 'sever' })).toThrow(
      /TEMPORAL_ENGINE=sever is not known: set it to 'dev-server' .* or 'server'/,
    );
  });
});
