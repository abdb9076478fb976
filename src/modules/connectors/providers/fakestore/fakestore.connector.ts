import { hostsOf } from '../../catalog/credential-hosts';
import { Connector, ConnectorContext, ConnectorDescriptor, ConnectorError } from '../../contract';
import { field, invalidParams, joinUrl, segment, send, textReason } from '../shared/provider-call';

const PROVIDER = 'Fake Store';
export const FAKESTORE_DEFAULT_BASE_URL = 'https://fakestoreapi.com';

/**
 * Fake Store API: GET /products, /products/{id}, /products/category/{category}, POST /products.
 * No auth. Quirk of the real service: an unknown product id answers 200 with an empty body,
 * which this connector reports as "product not found".
 */
export class FakeStoreConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'fakestore',
    name: 'Fake Store API',
    description: 'Demo e-commerce products from fakestoreapi.com.',
    auth: ['none'],
    baseUrlSetting: 'FAKESTORE_BASE_URL',
    hosts: hostsOf(FAKESTORE_DEFAULT_BASE_URL),
    docsUrl: 'https://fakestoreapi.com/docs',
    actions: [
      {
        key: 'list_products',
        name: 'List products',
        description:
          'GET /products (or /products/category/{category}). Output body: an array of { id, title, price, description, category, image, rating }.',
        readOnly: true,
        sideEffects: false,
        input: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 100 },
            sort: { type: 'string', enum: ['asc', 'desc'] },
            category: { type: 'string', minLength: 1 },
          },
        },
      },
      {
        key: 'get_product',
        name: 'Get product',
        description: 'GET /products/{id}. Output body: { id, title, price, description, category, image, rating }.',
        readOnly: true,
        sideEffects: false,
        input: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'integer', minimum: 1 } } },
      },
      {
        key: 'create_product',
        name: 'Create product',
        description: 'POST /products. Output body: the product with its new id.',
        readOnly: false,
        sideEffects: true,
        sampleOutput: {
          status: 201,
          body: {
            id: 21,
            title: 'Travel mug',
            price: 13.5,
            description: 'Keeps coffee hot',
            category: 'home',
            image: 'https://i.pravatar.cc',
          },
        },
        input: {
          type: 'object',
          required: ['title', 'price'],
          additionalProperties: false,
          properties: {
            title: { type: 'string', minLength: 1 },
            price: { type: 'number', minimum: 0 },
            description: { type: 'string' },
            category: { type: 'string' },
            image: { type: 'string', format: 'uri' },
          },
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    const base = ctx.baseUrl || FAKESTORE_DEFAULT_BASE_URL;
    const describe = (r: { body: unknown; text: string; status: number }) => ({
      message: field(r.body, 'message') ?? field(r.body, 'error') ?? textReason(r),
    });
    switch (action) {
      case 'list_products': {
        const path = params.category ? `/products/category/${segment(String(params.category))}` : '/products';
        const res = await send(
          PROVIDER,
          ctx,
          {
            method: 'GET',
            url: joinUrl(base, path),
            query: { limit: params.limit as number | undefined, sort: params.sort as string | undefined },
          },
          describe,
        );
        return { status: res.status, body: res.body };
      }
      case 'get_product': {
        const id = params.id as number;
        const res = await send(PROVIDER, ctx, { method: 'GET', url: joinUrl(base, `/products/${segment(id)}`) }, describe);
        if (res.body === null || res.body === undefined || res.body === '') {
          throw new ConnectorError(`${PROVIDER}: product ${id} not found (404)`, {
            retryable: false,
            upstreamStatus: 404,
            code: 'NOT_FOUND',
          });
        }
        return { status: res.status, body: res.body };
      }
      case 'create_product': {
        const res = await send(
          PROVIDER,
          ctx,
          { method: 'POST', url: joinUrl(base, '/products'), body: params, headers: { 'content-type': 'application/json' } },
          describe,
        );
        return { status: res.status, body: res.body };
      }
      default:
        throw invalidParams(PROVIDER, `unknown action "${action}"`);
    }
  }
}
