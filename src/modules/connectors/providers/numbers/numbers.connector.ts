import { hostsOf } from '../../catalog/credential-hosts';
import { Connector, ConnectorContext, ConnectorDescriptor } from '../../contract';
import { invalidParams, joinUrl, send, textReason } from '../shared/provider-call';

const PROVIDER = 'Numbers API';
/** numbersapi.com serves plain HTTP only. */
export const NUMBERS_DEFAULT_BASE_URL = 'http://numbersapi.com';

/**
 * Numbers API: GET /{number}/{trivia|math|date|year}?json → `{ text, number, found, type }`.
 * `number` is an integer, `random`, or for dates `month/day`. Errors are plain text.
 */
export class NumbersConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'numbers',
    name: 'Numbers API',
    description: 'Trivia, math, date and year facts about numbers.',
    auth: ['none'],
    baseUrlSetting: 'NUMBERS_BASE_URL',
    hosts: hostsOf(NUMBERS_DEFAULT_BASE_URL),
    docsUrl: 'http://numbersapi.com/',
    actions: [
      {
        key: 'fact',
        name: 'Number fact',
        description:
          'GET /{number}/{type}?json. For type "date" give number as "month/day" (e.g. "2/29"). Output body: { text, number, found, type }.',
        readOnly: true,
        sideEffects: false,
        input: {
          type: 'object',
          required: ['number'],
          additionalProperties: false,
          properties: {
            number: {
              oneOf: [{ type: 'integer' }, { type: 'string', pattern: '^(random|-?[0-9]+|(1[0-2]|0?[1-9])/(3[01]|[12][0-9]|0?[1-9]))$' }],
            },
            type: { type: 'string', enum: ['trivia', 'math', 'date', 'year'], default: 'trivia' },
          },
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    if (action !== 'fact') throw invalidParams(PROVIDER, `unknown action "${action}"`);
    const type = (params.type as string | undefined) ?? 'trivia';
    const number = String(params.number);
    if (!/^(random|-?[0-9]+|[0-9]{1,2}\/[0-9]{1,2})$/.test(number))
      throw invalidParams(PROVIDER, `number "${number}" must be an integer, "random" or month/day`);
    if (number.includes('/') && type !== 'date')
      throw invalidParams(PROVIDER, `number "${number}" is a month/day, which only type "date" accepts`);
    // Validated above: digits, "random" or month/day, so the slash is the API's own path syntax.
    const res = await send(
      PROVIDER,
      ctx,
      {
        method: 'GET',
        url: `${joinUrl(ctx.baseUrl || NUMBERS_DEFAULT_BASE_URL, `/${number}/${type}`)}?json`,
        headers: { accept: 'application/json' },
      },
      (r) => ({ message: textReason(r) }),
    );
    return { status: res.status, body: res.body };
  }
}
