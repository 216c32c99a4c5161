// A small checker of JSON values against the component schemas of
// Square's OpenAPI spec: types, required fields, enums, and fields the
// schema does not name (which catch misspelt field names). Test use only.

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
};

export interface OpenApiDoc {
  components: { schemas: Record<string, Schema> };
}

export function checkAgainst(
  doc: OpenApiDoc,
  schemaName: string,
  value: unknown,
): string[] {
  const problems: string[] = [];
  walk(
    doc,
    { $ref: `#/components/schemas/${schemaName}` },
    value,
    '$',
    problems,
  );
  return problems;
}

function resolve(doc: OpenApiDoc, schema: Schema): Schema {
  let s = schema;
  while (s.$ref) {
    const name = s.$ref.replace('#/components/schemas/', '');
    const next = doc.components.schemas[name];
    if (!next) throw new Error(`no schema ${name}`);
    s = next;
  }
  return s;
}

function walk(
  doc: OpenApiDoc,
  raw: Schema,
  value: unknown,
  at: string,
  problems: string[],
): void {
  const schema = resolve(doc, raw);
  if (value === null) {
    if (!schema.nullable && !raw.nullable) problems.push(`${at}: null`);
    return;
  }
  switch (schema.type) {
    case 'object':
    case undefined: {
      if (typeof value !== 'object' || Array.isArray(value)) {
        if (schema.type) problems.push(`${at}: expected object`);
        return;
      }
      const obj = value as Record<string, unknown>;
      for (const name of schema.required ?? []) {
        if (!(name in obj)) problems.push(`${at}.${name}: required`);
      }
      const props = schema.properties ?? {};
      const extra = schema.additionalProperties;
      for (const [k, v] of Object.entries(obj)) {
        if (props[k]) walk(doc, props[k], v, `${at}.${k}`, problems);
        else if (typeof extra === 'object') {
          walk(doc, extra, v, `${at}.${k}`, problems);
        } else if (!extra && schema.properties) {
          problems.push(`${at}.${k}: not in the schema`);
        }
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) {
        problems.push(`${at}: expected array`);
        return;
      }
      value.forEach((v, i) =>
        walk(doc, schema.items ?? {}, v, `${at}[${i}]`, problems),
      );
      return;
    case 'integer':
      if (!Number.isSafeInteger(value)) problems.push(`${at}: not an integer`);
      return;
    case 'number':
      if (typeof value !== 'number') problems.push(`${at}: not a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${at}: not a boolean`);
      return;
    case 'string':
      if (typeof value !== 'string') problems.push(`${at}: not a string`);
      else if (schema.enum && !schema.enum.includes(value)) {
        problems.push(`${at}: "${value}" not in enum`);
      }
      return;
    default:
      return;
  }
}
