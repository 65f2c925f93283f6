import { MAX_BODY_DEPTH, verifyJsonBody } from './validation';

const verify = (text: string) => () => verifyJsonBody(undefined, undefined, Buffer.from(text));

describe('verifyJsonBody (before parsing a command body)', () => {
  it('given an ordinary command, when verified, then it passes', () => {
    expect(verify('{"reason":"The family did not come.","nested":{"a":[1,2]}}')).not.toThrow();
    expect(verify('  {"text":"a backslash \\\\u0000 is just text"}')).not.toThrow();
  });

  it('given a NUL character escaped in a string, when verified, then it is refused as 400 saying to remove it', () => {
    expect(verify('{"reason":"abc\\u0000def"}')).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(/NUL character/) }),
    );
  });

  it('given a body that is not an object, when verified, then it is refused', () => {
    expect(verify('[]')).toThrow(/must be a JSON object/);
    expect(verify('"text"')).toThrow(/must be a JSON object/);
  });

  it(`given nesting deeper than ${MAX_BODY_DEPTH} levels, when verified, then it is refused; brackets inside strings do not count`, () => {
    expect(verify(`${'{"a":'.repeat(MAX_BODY_DEPTH + 1)}1${'}'.repeat(MAX_BODY_DEPTH + 1)}`)).toThrow(/nests deeper/);
    expect(verify(`{"a":"${'['.repeat(100)}"}`)).not.toThrow();
  });
});
