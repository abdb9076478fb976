import { dump, type Document, type Node } from 'js-yaml';

/**
 * YAML for declarative Kong configs (kong/kong.yml), written by js-yaml. Every string value is
 * double-quoted: Kong reads the file with a YAML 1.1 parser, where an unquoted `on`, `0755` or
 * `1e3` would change meaning, and a JSON-style string reads the same in every YAML version.
 */
export function toYaml(value: unknown): string {
  return dump(value, { quoteStyle: 'double', lineWidth: -1, noRefs: true, transform: (docs) => docs.forEach(quoteStrings) });
}

const STRING_TAG = 'tag:yaml.org,2002:str';

function quoteStrings(doc: Document): void {
  const visit = (node: Node | null, isKey = false): void => {
    if (!node) return;
    if (node.kind === 'scalar') {
      // Keys stay plain where YAML allows it (js-yaml quotes the ones that need it).
      if (!isKey && node.tag === STRING_TAG) node.style.doubleQuoted = true;
    } else if (node.kind === 'sequence') {
      node.items.forEach((item) => visit(item));
    } else if (node.kind === 'mapping') {
      for (const { key, value } of node.items) {
        visit(key, true);
        visit(value);
      }
    }
  };
  visit(doc.contents);
}
