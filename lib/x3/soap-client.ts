import { BackoffOptions, DEFAULT_BACKOFF, withBackoff } from '../sync/backoff';
import { X3Error } from './errors';
import {
  CallLimit,
  exchange,
  FetchLike,
  HttpAnswer,
  plainHttpWarning,
  statusError,
  trimSlash,
} from './http';
import {
  SoapCallContext,
  SoapKey,
  SoapRequest,
  writeEnvelope,
} from './soap-envelope';
import {
  faultOf,
  messageText,
  parseSoapResponse,
  SoapResult,
} from './soap-result';
import type { X3Reach } from './reach';

// One X3 SOAP pool behind the generic endpoint, with HTTP Basic on every
// call. Reads are retried with backoff while the pool is busy or X3 is
// unreachable, unless the caller retries a whole step itself. A save or
// modify is sent once, because X3 may commit it even when the answer is
// lost, and the caller looks before it re-sends. A business refusal
// (status 0) is returned, never retried.

export const SOAP_PATH =
  '/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC';

export interface X3SoapClientOptions {
  baseUrl: string;
  user: string;
  password: string;
  context: SoapCallContext;
  timeoutMs?: number;
  backoff?: BackoffOptions;
  /** defaults to SOAP_PATH (X3 V12 PU9 and later) */
  path?: string;
  fetch?: FetchLike;
  callLimit?: CallLimit;
  /** told whether X3 answers (lib/x3/reach.ts) */
  reach?: X3Reach;
  onWarning?: (message: string) => void;
}

// X3 answers status 0 when the pool has no free web-service child
// process: nothing ran, so a later try can succeed.
const BUSY =
  /\bpool\b.*\b(child|process|busy|available|unavailable)|no .*child process/i;

export class X3SoapClient {
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly backoff: BackoffOptions;
  private readonly authorization: string;

  constructor(private readonly options: X3SoapClientOptions) {
    this.url = trimSlash(options.baseUrl) + (options.path ?? SOAP_PATH);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    const pair = `${options.user}:${options.password}`;
    this.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    const warning = plainHttpWarning(options.baseUrl);
    if (warning) options.onWarning?.(warning);
  }

  get poolAlias(): string {
    return this.options.context.poolAlias;
  }

  read(publicName: string, keys: SoapKey[]): Promise<SoapResult> {
    const request: SoapRequest = {
      operation: 'read',
      publicName,
      objectKeys: keys,
    };
    return withBackoff(() => this.call(request), this.backoff);
  }

  query(
    publicName: string,
    keys: SoapKey[],
    listSize: number,
  ): Promise<SoapResult> {
    return withBackoff(
      () => this.queryOnce(publicName, keys, listSize),
      this.backoff,
    );
  }

  /**
   * A query tried once, for a step that retries as a whole: retrying
   * here too would multiply its attempts by these.
   */
  queryOnce(
    publicName: string,
    keys: SoapKey[],
    listSize: number,
  ): Promise<SoapResult> {
    return this.call({
      operation: 'query',
      publicName,
      objectKeys: keys,
      listSize,
    });
  }

  /** Sent once; a failure may still have been committed. */
  save(publicName: string, objectXml: string): Promise<SoapResult> {
    return this.call({ operation: 'save', publicName, objectXml });
  }

  /** Sent once; a failure may still have been committed. */
  modify(
    publicName: string,
    keys: SoapKey[],
    objectXml: string,
  ): Promise<SoapResult> {
    return this.call({
      operation: 'modify',
      publicName,
      objectKeys: keys,
      objectXml,
    });
  }

  /**
   * One exchange. Throws for what is not X3's answer on the business:
   * transport errors, HTTP errors, SOAP faults, a busy pool. Returns the
   * result otherwise, status 0 included.
   */
  async call(request: SoapRequest): Promise<SoapResult> {
    const answer = await exchange(
      this.url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'text/xml; charset=utf-8',
          Accept: 'text/xml',
          SOAPAction: '""',
          Authorization: this.authorization,
        },
        body: writeEnvelope(this.options.context, request),
      },
      {
        timeoutMs: this.timeoutMs,
        fetch: this.options.fetch,
        callLimit: this.options.callLimit,
        reach: this.options.reach,
      },
    );
    const what = `${request.operation} ${request.publicName}`;
    if (answer.status === 401) {
      throw new X3Error(
        'unauthorized',
        `X3 refused the SOAP user and password (401) on ${what}`,
        { status: 401 },
      );
    }
    this.throwFault(answer, what);

    const result = parseAnswer(answer, what);
    const busy =
      result.status !== 1 &&
      (result.technicalInfos.busy === 'true' ||
        result.messages.some((m) => m.type === 3 && BUSY.test(m.message)));
    if (busy) {
      throw new X3Error(
        'http',
        `X3 SOAP pool busy on ${what}: ` + messageText(result),
        {
          retryable: true,
          messages: result.messages.map((m) => m.message),
        },
      );
    }
    return result;
  }

  private throwFault(answer: HttpAnswer, what: string): void {
    let fault: ReturnType<typeof faultOf> = null;
    try {
      fault = faultOf(answer.text);
    } catch {
      // Not SOAP at all: the HTTP status says what happened.
    }
    const messages = fault ? [fault.message] : [];
    const failure = statusError(answer, messages);
    if (failure) {
      // A Client fault is a request X3 cannot read: sending it again
      // gives the same answer.
      if (fault && /client$/i.test(fault.code)) {
        throw new X3Error('http', `X3 refused ${what}: ${fault.message}`, {
          status: answer.status,
          messages,
        });
      }
      throw failure;
    }
    if (fault) {
      throw new X3Error('http', `X3 SOAP fault on ${what}: ${fault.message}`, {
        status: answer.status,
        messages,
      });
    }
  }
}

function parseAnswer(answer: HttpAnswer, what: string): SoapResult {
  try {
    return parseSoapResponse(answer.text);
  } catch (error) {
    throw new X3Error(
      'bad-response',
      `X3 answered ${what} with something else than a SOAP result: ` +
        (error as Error).message,
      { status: answer.status, cause: error },
    );
  }
}
