import { GraphQLError } from 'graphql';
import { FilterError, matches, parseFilterText, sorter } from './xtrem-filter';

// Relay paging over a list of rows, the way X3 GraphQL nodes answer
// query(first, after, filter, orderBy). Cursors are opaque to clients.

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  filter?: string | null;
  orderBy?: string | null;
}

const DEFAULT_FIRST = 20;

const encode = (id: unknown) =>
  Buffer.from(JSON.stringify([id])).toString('base64url');

function decode(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString())[0];
  } catch {
    throw new GraphQLError(`invalid cursor ${cursor}`);
  }
}

type Row = Record<string, unknown>;

export function connection(
  rows: Row[],
  args: ConnectionArgs,
  fields: Set<string>,
) {
  let selected: Row[];
  try {
    const filter = args.filter ? parseFilterText(args.filter) : null;
    selected = rows.filter((row) => matches(row, filter, fields));
    selected.sort(sorter(args.orderBy, fields));
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    throw new GraphQLError(error.message, {
      extensions: { code: 'BAD_FILTER' },
    });
  }

  let start = 0;
  if (args.after) {
    const id = decode(args.after);
    start = selected.findIndex((row) => row._id === id) + 1;
    if (start === 0) throw new GraphQLError(`invalid cursor ${args.after}`);
  }
  const first = args.first ?? DEFAULT_FIRST;
  const page = selected.slice(start, start + Math.max(0, first));
  const edges = page.map((row) => ({ cursor: encode(row._id), node: row }));
  return {
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
      hasNextPage: start + page.length < selected.length,
      hasPreviousPage: start > 0,
    },
  };
}
