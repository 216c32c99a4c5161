import {
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  validate,
} from 'graphql';
import { roots, x3Schema } from './schema';
import type { X3Store } from './store';

// One GraphQL request against the emulator's schema: parse, validate,
// pick the root for the operation type, execute.

export interface GraphQLRequest {
  query?: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface GraphQLAnswer {
  status: number;
  body: unknown;
  mutation: boolean;
}

const failed = (errors: readonly GraphQLError[]): GraphQLAnswer => ({
  status: 400,
  body: { errors: errors.map((e) => e.toJSON()) },
  mutation: false,
});

export async function runGraphQL(
  store: X3Store,
  request: GraphQLRequest,
): Promise<GraphQLAnswer> {
  if (typeof request.query !== 'string') {
    return failed([new GraphQLError('query missing')]);
  }
  let document;
  try {
    document = parse(request.query);
  } catch (error) {
    return failed([error as GraphQLError]);
  }
  const problems = validate(x3Schema, document);
  if (problems.length > 0) return failed(problems);

  const operation = getOperationAST(document, request.operationName);
  if (!operation) return failed([new GraphQLError('operation not found')]);
  const { query, mutation } = roots(store);
  const isMutation = operation.operation === 'mutation';
  const result = await execute({
    schema: x3Schema,
    document,
    rootValue: isMutation ? mutation : query,
    variableValues: request.variables,
    operationName: request.operationName,
  });
  return {
    status: 200,
    body: {
      data: result.data ?? null,
      ...(result.errors
        ? { errors: result.errors.map((e) => e.toJSON()) }
        : {}),
      extensions: { diagnoses: [] },
    },
    mutation: isMutation,
  };
}
