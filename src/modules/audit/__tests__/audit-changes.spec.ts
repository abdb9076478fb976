import { auditChanges, SECRET_CHANGED, SECRET_SET } from '../audit-changes';
import { decodeAuditCursor, encodeAuditCursor } from '../audit-query.service';

describe('auditChanges', () => {
  it('keeps only the fields that differ, each side with its own values', () => {
    expect(auditChanges({ name: 'a', role: 'member', same: 1 }, { name: 'b', role: 'member', same: 1 })).toEqual({
      before: { name: 'a' },
      after: { name: 'b' },
    });
  });

  it('answers null when nothing changed (dates and key order do not count as changes)', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(auditChanges({ at, o: { a: 1, b: 2 } }, { at: '2026-01-01T00:00:00.000Z', o: { b: 2, a: 1 } })).toBeNull();
  });

  it('a create has an empty before, a delete an empty after', () => {
    expect(auditChanges(null, { name: 'n', hosts: ['a.example.com'] })).toEqual({
      before: {},
      after: { name: 'n', hosts: ['a.example.com'] },
    });
    expect(auditChanges({ name: 'n' }, null)).toEqual({ before: { name: 'n' }, after: {} });
  });

  it('a field named in secretFields says [set] / [changed], never its value', () => {
    const c = auditChanges({ secrets: { apiKey: 'old-value-1' } }, { secrets: { apiKey: 'new-value-2' } }, { secretFields: ['secrets'] });
    expect(c).toEqual({ before: { secrets: SECRET_SET }, after: { secrets: SECRET_CHANGED } });
    expect(JSON.stringify(c)).not.toMatch(/value-1|value-2/);
  });

  it('a secret given for the first time has no before', () => {
    expect(auditChanges({ name: 'x' }, { name: 'x', secrets: { token: 'tok-123' } }, { secretFields: ['secrets'] })).toEqual({
      before: {},
      after: { secrets: SECRET_CHANGED },
    });
  });

  it('secret-looking names are hidden without being listed, also nested in other values', () => {
    const c = auditChanges({ password: 'p1', config: { url: 'u', apiKey: 'k1' } }, { password: 'p2', config: { url: 'u', apiKey: 'k2' } });
    expect(c!.after.password).toBe(SECRET_CHANGED);
    expect(c!.before.password).toBe(SECRET_SET);
    expect(JSON.stringify(c)).not.toMatch(/p1|p2|k1|k2/);
    expect((c!.after.config as Record<string, unknown>).url).toBe('u');
  });

  it('an unchanged secret is not mentioned', () => {
    expect(auditChanges({ name: 'a', secrets: 's' }, { name: 'b', secrets: 's' }, { secretFields: ['secrets'] })).toEqual({
      before: { name: 'a' },
      after: { name: 'b' },
    });
  });
});

describe('audit cursor', () => {
  it('round-trips an id', () => {
    expect(decodeAuditCursor(encodeAuditCursor('1042'))).toBe('1042');
  });

  it.each([
    '',
    'not base64!',
    Buffer.from('abc').toString('base64url'),
    Buffer.from('0').toString('base64url'),
    Buffer.from('99999999999999999999').toString('base64url'),
  ])('refuses %p naming cursor', (cursor) => {
    expect(() => decodeAuditCursor(cursor)).toThrow(expect.objectContaining({ details: [expect.objectContaining({ field: 'cursor' })] }));
  });
});
