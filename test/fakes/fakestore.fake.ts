/**
 * Fake Store API (fakestoreapi.com): GET /products[?limit=&sort=], /products/{id},
 * /products/category/{category}, POST /products. Faithful quirks: an unknown numeric id
 * answers 200 with an EMPTY body; a non-numeric id answers 400; a POST without a title 400.
 */
import { FakeServer, startFake } from './fake-server';

const PRODUCTS = [
  {
    id: 1,
    title: 'Fjallraven Backpack',
    price: 109.95,
    description: 'Fits 15 inch laptops',
    category: "men's clothing",
    image: 'https://fakestoreapi.com/img/81fPKd-2AYL._AC_SL1500_.jpg',
    rating: { rate: 3.9, count: 120 },
  },
  {
    id: 2,
    title: 'Mens Casual T-Shirt',
    price: 22.3,
    description: 'Slim fit',
    category: "men's clothing",
    image: 'https://fakestoreapi.com/img/71-3HjGNDUL._AC_SY879._SX._UX._SY._UY_.jpg',
    rating: { rate: 4.1, count: 259 },
  },
  {
    id: 9,
    title: 'WD 2TB External Hard Drive',
    price: 64,
    description: 'USB 3.0',
    category: 'electronics',
    image: 'https://fakestoreapi.com/img/61IBBVJvSDL._AC_SY879_.jpg',
    rating: { rate: 3.3, count: 203 },
  },
];

export async function startFakeStoreFake(): Promise<FakeServer> {
  const list = (items: typeof PRODUCTS, query: Record<string, string>) => {
    const sorted = query.sort === 'desc' ? [...items].reverse() : items;
    return query.limit ? sorted.slice(0, Number(query.limit)) : sorted;
  };
  return startFake({
    'GET /products': (req) => ({ body: list(PRODUCTS, req.query) }),
    'GET /products/category/:category': (req) => ({
      body: list(
        PRODUCTS.filter((p) => p.category === req.params.category),
        req.query,
      ),
    }),
    'GET /products/:id': (req) => {
      if (!/^\d+$/.test(req.params.id)) return { status: 400, body: { status: 'error', message: 'product id should be provided' } };
      const p = PRODUCTS.find((x) => x.id === Number(req.params.id));
      return p ? { body: p } : { status: 200, body: '', headers: { 'content-type': 'application/json; charset=utf-8' } };
    },
    'POST /products': (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      if (!body || typeof body !== 'object' || !body.title) return { status: 400, body: { status: 'error', message: 'data is undefined' } };
      return { status: 201, body: { id: PRODUCTS.length + 18, ...body } };
    },
  });
}
