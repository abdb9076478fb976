import { isUuid, UUID_PATTERN } from '../uuid';

describe('isUuid', () => {
  it.each([
    '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    '3F2504E0-4F89-11D3-9A0C-0305E82C3301',
    '00000000-0000-0000-0000-000000000000',
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  ])('accepts %s (any version, any case)', (s) => {
    expect(isUuid(s)).toBe(true);
  });

  it.each([
    '',
    'nope',
    '3f2504e0-4f89-11d3-9a0c-0305e82c330',
    '3f2504e0-4f89-11d3-9a0c-0305e82c33011',
    '3f2504e04f8911d39a0c0305e82c3301',
    '{3f2504e0-4f89-11d3-9a0c-0305e82c3301}',
    ' 3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    '3f2504e0-4f89-11d3-9a0c-0305e82c3301\n',
    'g f2504e0-4f89-11d3-9a0c-0305e82c3301',
  ])('refuses %j', (s) => {
    expect(isUuid(s)).toBe(false);
  });

  it('refuses what is not a string', () => {
    for (const v of [undefined, null, 42, {}, ['3f2504e0-4f89-11d3-9a0c-0305e82c3301']]) expect(isUuid(v)).toBe(false);
  });

  it('the pattern is anchored (usable in a JSON schema or a RegExp test alike)', () => {
    expect(UUID_PATTERN.source.startsWith('^') && UUID_PATTERN.source.endsWith('$')).toBe(true);
  });
});
