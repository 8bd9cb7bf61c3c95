import { jsonTextProblem, MAX_JSON_DEPTH } from './json-body';

describe('jsonTextProblem', () => {
  it('passes ordinary JSON, brackets and escapes inside strings included', () => {
    for (const text of [
      '{}',
      '[1,2]',
      '{"a":"[[[[{{{{"}',
      '{"a":"\\\\u0000"}',
      '{"e":"\\ud83d\\ude00 ok"}',
      '"\\u00e9"',
      '{"a":"\\"[["}',
    ]) {
      expect({ text, problem: jsonTextProblem(text) }).toEqual({ text, problem: null });
    }
    expect(jsonTextProblem('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeNull();
  });

  it('refuses nesting deeper than the limit, NUL characters and lone surrogates', () => {
    expect(jsonTextProblem('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1))).toBe('too deep');
    expect(jsonTextProblem('{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000))).toBe('too deep');
    expect(jsonTextProblem('{"a":"x\\u0000y"}')).toBe('NUL');
    expect(jsonTextProblem('{"a":"\\ud800"}')).toBe('lone surrogate');
    expect(jsonTextProblem('{"a":"\\ud800\\u0041"}')).toBe('lone surrogate');
    expect(jsonTextProblem('{"a":"\\udfff"}')).toBe('lone surrogate');
  });
});
