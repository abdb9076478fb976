import { checkReferences, collectExpressions } from '../templates/template-analysis';
import { parseTemplate, TemplateSyntaxError } from '../templates/template-parser';
import { renderString, renderValue, resolvePath, TemplateContext } from '../templates/template-renderer';

const ctx: TemplateContext = {
  trigger: { user: { name: 'Alex', tags: ['a', 'b'] }, order: { id: 12345, total: 0 }, empty: '', nothing: null, 'content-type': 'json' },
  steps: { lookup: { body: { items: [{ id: 'it-1' }, { id: 'it-2' }] } } },
  execution: { id: 'exec-1' },
};

describe('template rendering', () => {
  it('interpolates values into text', () => {
    expect(renderString('Hello {{trigger.user.name}}! Order #{{ trigger.order.id }} confirmed.', ctx)).toBe(
      'Hello Alex! Order #12345 confirmed.',
    );
  });

  it('reads array indexes and quoted keys', () => {
    expect(renderString('{{steps.lookup.body.items[0].id}}', ctx)).toBe('it-1');
    expect(renderString('{{steps.lookup.body.items[1]["id"]}}', ctx)).toBe('it-2');
    expect(renderString("{{trigger['content-type']}}", ctx)).toBe('json');
  });

  it('keeps the value as is when the template is the whole field', () => {
    expect(renderString('{{trigger.user}}', ctx)).toEqual({ name: 'Alex', tags: ['a', 'b'] });
    expect(renderString('  {{trigger.order.id}} ', ctx)).toBe(12345);
    expect(renderString('{{trigger.order.total}}', ctx)).toBe(0);
    expect(renderString('{{trigger.missing}}', ctx)).toBeUndefined();
  });

  it('writes objects as JSON and missing values as empty text inside text', () => {
    expect(renderString('tags={{trigger.user.tags}}', ctx)).toBe('tags=["a","b"]');
    expect(renderString('[{{trigger.missing}}][{{trigger.nothing}}]', ctx)).toBe('[][]');
  });

  it('applies default when the value is missing, null or empty', () => {
    expect(renderString('{{trigger.missing | default: "n/a"}}', ctx)).toBe('n/a');
    expect(renderString('{{trigger.nothing | default: "n/a"}}', ctx)).toBe('n/a');
    expect(renderString('{{trigger.empty | default: "n/a"}}', ctx)).toBe('n/a');
    expect(renderString('{{trigger.order.total | default: 5}}', ctx)).toBe(0);
    expect(renderString("{{ trigger.missing | default: 'it''s' }}".replace("''", "\\'"), ctx)).toBe("it's");
    expect(renderString('{{trigger.missing | default: 42}}', ctx)).toBe(42);
    expect(renderString('x {{trigger.missing | default: "}} | {{"}} y', ctx)).toBe('x }} | {{ y');
  });

  it('renders nested objects and arrays, leaving non-strings alone', () => {
    const out = renderValue(
      { text: 'Hi {{trigger.user.name}}', n: 3, list: ['{{trigger.order.id}}', true], deep: { v: '{{execution.id}}' } },
      ctx,
    );
    expect(out).toEqual({ text: 'Hi Alex', n: 3, list: [12345, true], deep: { v: 'exec-1' } });
  });

  it('json filter stringifies', () => {
    expect(renderString('{{trigger.user | json}}', ctx)).toBe('{"name":"Alex","tags":["a","b"]}');
  });
});

describe('GoFlow form: a first name that is not a root reads the trigger payload', () => {
  it('resolves {{user.name}} like {{trigger.user.name}}', () => {
    expect(renderString('Hello {{user.name}}', ctx)).toBe('Hello Alex');
    expect(renderString('{{user.name}}', ctx)).toBe(renderString('{{trigger.user.name}}', ctx));
    expect(renderString("{{order.id}} {{user.tags[1]}} {{user['name']}}", ctx)).toBe('12345 b Alex');
    expect(renderString('{{user}}', ctx)).toEqual({ name: 'Alex', tags: ['a', 'b'] });
    expect(renderString('{{missing | default: "n/a"}}', ctx)).toBe('n/a');
    expect(renderValue({ text: 'Hi {{user.name}}', id: '{{order.id}}' }, ctx)).toEqual({ text: 'Hi Alex', id: 12345 });
  });

  it('keeps the reserved roots: steps, execution and trigger win over payload keys of the same name', () => {
    const shadowing: TemplateContext = {
      trigger: { steps: 'payload steps', execution: 'payload execution', trigger: 'payload trigger' },
      steps: { s: { v: 1 } },
      execution: { id: 'exec-1' },
    };
    expect(renderString('{{steps.s.v}}', shadowing)).toBe(1);
    expect(renderString('{{execution.id}}', shadowing)).toBe('exec-1');
    expect(renderString('{{trigger.steps}}', shadowing)).toBe('payload steps');
    expect(renderString('{{trigger.trigger}}', shadowing)).toBe('payload trigger');
  });

  it('keeps the written form for messages and puts the root in the path', () => {
    const [expr] = parseTemplate('{{ user.name | default: "x" }}').expressions;
    expect(expr.source).toBe('user.name | default: "x"');
    expect(expr.path).toEqual(['trigger', 'user', 'name']);
    expect(parseTemplate('{{steps.a.b}}').expressions[0].path).toEqual(['steps', 'a', 'b']);
  });

  it('stays off the prototype chain and non-object payloads', () => {
    expect(renderString('{{__proto__}}', ctx)).toBeUndefined();
    expect(renderString('{{constructor.name}}', ctx)).toBeUndefined();
    expect(renderString('{{length}}', { trigger: 'text body', steps: {} })).toBeUndefined();
  });
});

describe('template safety', () => {
  it('never reaches the prototype chain', () => {
    for (const t of [
      '{{trigger.__proto__}}',
      '{{trigger.constructor}}',
      '{{trigger.constructor.prototype}}',
      '{{trigger.user.toString}}',
      '{{trigger.user.__proto__.polluted}}',
      '{{steps.hasOwnProperty}}',
      '{{trigger["__proto__"]}}',
    ]) {
      expect(renderString(t, ctx)).toBeUndefined();
    }
    expect(resolvePath({ a: 1 }, ['constructor', 'name'])).toBeUndefined();
  });

  it('does not pollute Object.prototype through "__proto__" keys in params', () => {
    const params = JSON.parse('{"__proto__": {"polluted": "yes"}, "a": "{{trigger.user.name}}"}');
    const out = renderValue(params, ctx) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(out.a).toBe('Alex');
  });

  it('evaluates nothing as code', () => {
    expect(() => parseTemplate('{{ process.exit(1) }}')).toThrow(TemplateSyntaxError);
    expect(() => parseTemplate('{{ trigger.a + 1 }}')).toThrow(TemplateSyntaxError);
    expect(() => parseTemplate('{{ `x` }}')).toThrow(TemplateSyntaxError);
  });

  it('reports malformed templates', () => {
    expect(() => parseTemplate('Hello {{trigger.name')).toThrow(/without a closing/);
    expect(() => parseTemplate('{{}}')).toThrow(/empty expression/);
    expect(() => parseTemplate('{{trigger.x | upper}}')).toThrow(/unknown filter "upper"/);
    expect(() => parseTemplate('{{trigger.x | default}}')).toThrow(/default needs a value/);
    expect(() => parseTemplate('{{trigger.items[x]}}')).toThrow(/index or a quoted key/);
  });
});

describe('template analysis', () => {
  it('collects expressions with their field paths', () => {
    const { found, problems } = collectExpressions(
      { text: '{{trigger.a}}', headers: { 'X-Id': '{{steps.s1.id}}' }, list: ['x', '{{trigger.b}}'] },
      'steps[1].params',
    );
    expect(problems).toEqual([]);
    expect(found.map((f) => f.field)).toEqual(['steps[1].params.text', 'steps[1].params.headers.X-Id', 'steps[1].params.list[1]']);
  });

  it('flags unknown steps and steps that run later; a name that is not a root reads the trigger', () => {
    const all = new Set(['first', 'second', 'third']);
    const earlier = new Set(['first']);
    const problems = checkReferences(
      {
        a: '{{user.name}}',
        b: '{{steps.nope.x}}',
        c: '{{steps.third.y}}',
        d: '{{steps.first.ok}}',
        e: '{{bad',
        f: '{{steps[0]}}',
        g: '{{order["id"] | default: 0}}',
      },
      'steps[1].params',
      earlier,
      all,
    );
    expect(problems).toEqual([
      { field: 'steps[1].params.e', message: expect.stringContaining('without a closing') },
      { field: 'steps[1].params.b', message: expect.stringContaining('unknown step "nope"') },
      { field: 'steps[1].params.c', message: expect.stringContaining('does not run before this one') },
      { field: 'steps[1].params.f', message: expect.stringContaining('must name a step') },
    ]);
  });
});
