import type { ValueProvider } from '@nestjs/common';
import type { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';

const CONTRIBUTOR = Symbol.for('flowgate.document-contributor');

/** A part of the OpenAPI document that only a feature module knows (e.g. the trigger types it registers). */
export interface DocumentContributor {
  readonly [CONTRIBUTOR]: true;
  /** Unique: the same contributor provided by two modules runs once. */
  readonly name: string;
  contribute(document: OpenAPIObject): void;
}

/**
 * A provider that adds to the document `finishDocument` builds. A value provider on purpose:
 * `npm run openapi` builds the module graph without instantiating providers (preview mode),
 * and only values are there then, so the exported and the served documents are the same.
 */
export function documentContributor(name: string, contribute: (document: OpenAPIObject) => void): ValueProvider<DocumentContributor> {
  return { provide: `document-contributor:${name}`, useValue: { [CONTRIBUTOR]: true, name, contribute } };
}

/** Every contributor provided by a module of the app, in module order (once per name). */
export function documentContributors(container: ModulesContainer): DocumentContributor[] {
  const byName = new Map<string, DocumentContributor>();
  for (const module of container.values()) {
    for (const wrapper of module.providers.values()) {
      const value = wrapper.instance as Partial<DocumentContributor> | null | undefined;
      if (value && typeof value === 'object' && value[CONTRIBUTOR] === true && !byName.has(value.name!)) {
        byName.set(value.name!, value as DocumentContributor);
      }
    }
  }
  return [...byName.values()];
}
