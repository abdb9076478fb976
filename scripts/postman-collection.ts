import { convertV2 } from 'openapi-to-postmanv2';

/** Where Postman sends requests until the user changes the `baseUrl` collection variable. */
export const POSTMAN_BASE_URL = 'http://localhost:3000';

// The converter fakes every value the document gives no example for (json-schema-faker, through
// its own `random` option, Math.random, and dates counted from now). A fixed seed and fixed
// dates make the output a function of the document, so the committed collection can be
// compared with what the document generates.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const schemaFaker = require('openapi-to-postmanv2/assets/json-schema-faker.js') as {
  option(options: { random: () => number }): void;
  format(name: string, generate: () => string): void;
};
const SEED = 0x466c6f77; // "Flow"
const SAMPLE_TIME = '2026-11-27T17:00:00.000Z';
for (const format of ['date-time', 'datetime']) schemaFaker.format(format, () => SAMPLE_TIME);
schemaFaker.format('date', () => SAMPLE_TIME.slice(0, 10));
schemaFaker.format('time', () => SAMPLE_TIME.slice(11));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface SecurityScheme {
  type: string;
  in?: string;
  name?: string;
}

/**
 * The Postman collection (v2.1) generated from the OpenAPI document by openapi-to-postmanv2,
 * made deterministic: the converter's random ids are removed (Postman assigns its own on
 * import) and its faker is seeded. One folder per tag, request bodies from the documented
 * examples, `{{baseUrl}}` (default http://localhost:3000), bearer routes authorized with
 * `{{bearerToken}}`, and one variable per API-key scheme (`X-Admin-Token` -> `{{adminToken}}`).
 * Only the success examples are kept: every error answer has the one ErrorResponseDto shape, and
 * their faked copies would make the file ten times larger.
 */
export async function renderPostmanCollection(documentText: string): Promise<string> {
  const document = JSON.parse(documentText) as { components?: { securitySchemes?: Record<string, SecurityScheme> } };
  const collection = await seeded(() => convert(document));
  const apiKeyVariables = apiKeyVariablesByHeader(document.components?.securitySchemes ?? {});
  delete collection.event;
  const info = collection.info;
  if (isObject(info)) delete info._postman_id;
  collection.variable = [
    { key: 'baseUrl', value: POSTMAN_BASE_URL, type: 'string' },
    { key: 'bearerToken', value: '', type: 'string' },
    ...[...new Set(apiKeyVariables.values())].map((key): Json => ({ key, value: '', type: 'string' })),
  ];
  tidyItems(collection.item, apiKeyVariables);
  return JSON.stringify(collection, null, 2) + '\n';
}

function convert(document: object): Promise<JsonObject> {
  return new Promise((resolve, reject) => {
    convertV2(
      { type: 'json', data: document },
      { folderStrategy: 'Tags', parametersResolution: 'Example', requestNameSource: 'Fallback' },
      (err, result) => {
        const output = result?.output?.[0]?.data;
        // A plain JSON copy: the converter's objects are typed loosely.
        const data: Json | undefined = output ? JSON.parse(JSON.stringify(output)) : undefined;
        if (err || !result?.result || !isObject(data))
          reject(new Error(`openapi-to-postmanv2: ${err?.message ?? result?.reason ?? 'no collection'}`));
        else resolve(data);
      },
    );
  });
}

async function seeded<T>(run: () => Promise<T>): Promise<T> {
  const random = mulberry32(SEED);
  const mathRandom = Math.random;
  schemaFaker.option({ random });
  Math.random = random;
  try {
    return await run();
  } finally {
    Math.random = mathRandom;
    schemaFaker.option({ random: mathRandom });
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Header name -> Postman variable, named after the scheme (`admin-token` -> `adminToken`). */
function apiKeyVariablesByHeader(schemes: Record<string, SecurityScheme>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, scheme] of Object.entries(schemes)) {
    if (scheme.type === 'apiKey' && scheme.in === 'header' && scheme.name)
      out.set(
        scheme.name.toLowerCase(),
        name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
      );
  }
  return out;
}

function tidyItems(items: Json | undefined, apiKeyVariables: Map<string, string>): void {
  if (!Array.isArray(items)) return;
  for (const item of items) {
    if (!isObject(item)) continue;
    delete item.id;
    tidyItems(item.item, apiKeyVariables);
    const request = item.request;
    if (isObject(request)) useSchemeVariable(request.auth, apiKeyVariables);
    if (Array.isArray(item.response)) {
      item.response = item.response.filter((r) => isObject(r) && typeof r.code === 'number' && r.code >= 200 && r.code < 300);
      for (const response of item.response) if (isObject(response)) delete response.id;
    }
  }
}

/** The converter names every API key `{{apiKey}}`; each scheme gets its own variable instead. */
function useSchemeVariable(auth: Json | undefined, apiKeyVariables: Map<string, string>): void {
  if (!isObject(auth) || auth.type !== 'apikey' || !Array.isArray(auth.apikey)) return;
  const entries = auth.apikey.filter(isObject);
  const header = entries.find((e) => e.key === 'key')?.value;
  const variable = typeof header === 'string' ? apiKeyVariables.get(header.toLowerCase()) : undefined;
  const value = entries.find((e) => e.key === 'value');
  if (variable && value) value.value = `{{${variable}}}`;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
