import { describe, expect, it } from 'vitest';
import { formatFieldError } from './field-errors';
import {
  SelectorParseError,
  compileLabelSelector,
  isQualifiedName,
  isValidLabelValue,
  labelSelectorAsSelector,
  parseSelector,
  selectorFromSet,
  selectorToString,
  validateLabels,
} from './labels';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, maskTrailingDash, nameIsDNSSubdomain } from './names';

const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('label keys and values', () => {
  it('accepts prefixed and plain keys', () => {
    expect(isQualifiedName('app')).toEqual([]);
    expect(isQualifiedName('app.kubernetes.io/name')).toEqual([]);
    expect(isQualifiedName('My_Name.v2')).toEqual([]);
  });

  it('rejects bad names with upstream messages', () => {
    expect(isQualifiedName('-app')).toEqual([NAME_PART]);
    expect(isQualifiedName('/app')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('example.com/')).toEqual(['name part must be non-empty', NAME_PART]);
    expect(isQualifiedName('a'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
    expect(isQualifiedName('a/b/c')[0]).toMatch(/^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
    expect(isQualifiedName('Example.com/app')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
  });

  it('values may be empty but not malformed', () => {
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('v1.2_beta')).toEqual([]);
    expect(isValidLabelValue('a b')).toEqual([
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
    expect(isValidLabelValue('x'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });

  it('validateLabels reports at the map path', () => {
    expect(validateLabels({ 'bad key': 'v' }, 'metadata.labels').map(formatFieldError)).toEqual([`metadata.labels: Invalid value: "bad key": ${NAME_PART}`]);
  });
});

describe('LabelSelector matching', () => {
  const sel = {
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'env', operator: 'In', values: ['prod', 'staging'] },
      { key: 'tier', operator: 'NotIn', values: ['db'] },
      { key: 'gpu', operator: 'Exists' },
      { key: 'legacy', operator: 'DoesNotExist' },
    ],
  };
  const m = compileLabelSelector(sel);

  it('needs every requirement', () => {
    expect(m({ app: 'web', env: 'prod', gpu: '' })).toBe(true);
    expect(m({ app: 'web', env: 'prod', gpu: '', tier: 'db' })).toBe(false);
    expect(m({ app: 'web', env: 'dev', gpu: '' })).toBe(false);
    expect(m({ app: 'web', env: 'prod' })).toBe(false);
    expect(m({ app: 'web', env: 'prod', gpu: '', legacy: 'x' })).toBe(false);
    expect(m(undefined)).toBe(false);
  });

  it('a missing selector matches nothing, an empty one everything', () => {
    expect(compileLabelSelector(undefined)({ a: 'b' })).toBe(false);
    expect(compileLabelSelector({})({ a: 'b' })).toBe(true);
    expect(compileLabelSelector({})(undefined)).toBe(true);
  });

  it('compiles once per selector object', () => {
    expect(compileLabelSelector(sel)).toBe(m);
  });

  it('invalid selectors throw from labelSelectorAsSelector and match nothing when compiled', () => {
    const bad = { matchExpressions: [{ key: 'a', operator: 'Near', values: [] }] };
    expect(() => labelSelectorAsSelector(bad)).toThrow('"Near" is not a valid label selector operator');
    expect(compileLabelSelector(bad)({ a: 'x' })).toBe(false);
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow(
      `values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`,
    );
  });

  it('prints as kubectl does', () => {
    expect(selectorToString(sel)).toBe('app=web,env in (prod,staging),gpu,!legacy,tier notin (db)');
    expect(selectorToString({})).toBe('<none>');
    expect(selectorToString(undefined)).toBe('<none>');
    expect(selectorToString({ matchExpressions: [{ key: 'a', operator: 'Bad' }] })).toBe('<error>');
    expect(selectorFromSet({ b: '2', a: '1' }).toString()).toBe('a=1,b=2');
  });
});

describe('parseSelector', () => {
  it('parses the kubectl form', () => {
    const s = parseSelector('app=web,tier!=db,env in (a,b),!legacy,gpu');
    expect(s.toString()).toBe('app=web,env in (a,b),gpu,!legacy,tier!=db');
    expect(s.matches({ app: 'web', env: 'a', gpu: '' })).toBe(true);
    expect(s.matches({ app: 'web', env: 'a', gpu: '', tier: 'db' })).toBe(false);
    expect(s.matches({ app: 'web', env: 'c', gpu: '' })).toBe(false);
  });

  it('understands ==, notin, numeric comparisons, empty values and spacing', () => {
    expect(parseSelector('a == b').matches({ a: 'b' })).toBe(true);
    expect(parseSelector('x notin (in, notin)').matches({ x: 'in' })).toBe(false);
    expect(parseSelector('size>3').matches({ size: '4' })).toBe(true);
    expect(parseSelector('size<3').matches({ size: '4' })).toBe(false);
    expect(parseSelector('a=').matches({ a: '' })).toBe(true);
    expect(parseSelector('a in (,x)').requirements[0].values).toEqual(['', 'x']);
    expect(parseSelector('').empty).toBe(true);
  });

  it.each([
    ['app=web,', "found '', expected: identifier after ',' (at position 8)"],
    ['app in a', "unable to parse requirement: found 'a' expected: '(' (at position 7)"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt (at position 2)"],
    ['env in (a', "unable to parse requirement: found '', expected: ',' or ')' (at position 9)"],
    ['a=b=c', "found '=', expected: ',' or 'end of string' (at position 3)"],
    [',a', "found ',', expected: !, identifier, or 'end of string' (at position 0)"],
    ['x>a', "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer (at position 0)"],
  ])('explains %j', (input, msg) => {
    expect(() => parseSelector(input)).toThrow(SelectorParseError);
    expect(() => parseSelector(input)).toThrow(msg);
  });

  it('names the position of a bad key', () => {
    try {
      parseSelector('app=web,-x=1');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SelectorParseError);
      expect((e as SelectorParseError).position).toBe(8);
      expect((e as Error).message).toContain(`Invalid value: "-x": ${NAME_PART}`);
    }
  });
});

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

describe('DNS names', () => {
  it('accepts subdomains and rejects the rest with upstream wording', () => {
    expect(isDNS1123Subdomain('web.example.com')).toEqual([]);
    expect(isDNS1123Subdomain('Web')).toEqual([SUBDOMAIN_MSG]);
    expect(isDNS1123Subdomain(`${'a'.repeat(254)}`)).toEqual(['must be no more than 253 characters']);
  });

  it('labels may not contain dots, and say so', () => {
    expect(isDNS1123Label('web-1')).toEqual([]);
    expect(isDNS1123Label('web.1')).toEqual(['must not contain dots']);
    expect(isDNS1123Label('-web')).toEqual([LABEL_MSG]);
    expect(isDNS1123Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });

  it('DNS-1035 labels start with a letter', () => {
    expect(isDNS1035Label('web')).toEqual([]);
    expect(isDNS1035Label('1web')).toEqual([DNS1035_MSG]);
  });

  it('generateName prefixes may end in a dash', () => {
    expect(maskTrailingDash('web-')).toBe('wea');
    expect(nameIsDNSSubdomain('web-', true)).toEqual([]);
    expect(nameIsDNSSubdomain('web-', false)).toEqual([SUBDOMAIN_MSG]);
  });
});
