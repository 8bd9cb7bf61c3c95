import { jsonTextProblem, MAX_JSON_DEPTH, MAX_JSON_KEYS, MAX_JSON_KEYS_PER_OBJECT } from './json-body';

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

  it('refuses an object of more keys than the limit, or a body of more keys in all, in one pass', () => {
    const object = (n: number) => '{' + Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',') + '}';
    expect(jsonTextProblem(object(MAX_JSON_KEYS_PER_OBJECT))).toBeNull();
    expect(jsonTextProblem(object(MAX_JSON_KEYS_PER_OBJECT + 1))).toBe('too many keys in an object');
    // Colons inside strings are no keys; the keys of a nested object count for that object.
    expect(jsonTextProblem(`{"a":"${':'.repeat(5000)}","b":${object(900)},"c":[${object(900)}]}`)).toBeNull();
    const perObject = Math.floor(MAX_JSON_KEYS_PER_OBJECT / 2);
    const many = Array.from({ length: Math.ceil(MAX_JSON_KEYS / perObject) + 1 }, () => object(perObject));
    expect(jsonTextProblem(`{"items":[${many.join(',')}]}`)).toBe('too many keys');
    const huge = object(90_000);
    const started = Date.now();
    expect(jsonTextProblem(huge)).toBe('too many keys in an object');
    expect(Date.now() - started).toBeLessThan(50);
  });
});
