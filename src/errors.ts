/** Every error a client can see, by stable code. Messages are lowercase sentences. */
export const ERRORS = {
  invalid_choice: { status: 400, message: 'choose one of the poll options' },
  too_many_choices: { status: 400, message: 'too many options chosen' },
  invalid_request: { status: 400, message: 'the request is not valid' },
  invalid_poll: { status: 400, message: 'the poll is not valid' },
  malformed_body: { status: 400, message: 'the request body could not be read' },
  unauthorized: { status: 401, message: 'a valid admin token is required' },
  invalid_manage_token: {
    status: 401,
    message: 'a valid management token for this poll is required',
  },
  cross_site: { status: 403, message: 'cross-site form posts are refused' },
  forbidden: { status: 403, message: 'this action is not allowed' },
  results_hidden: { status: 403, message: 'the results of this poll are not shown yet' },
  not_found: { status: 404, message: 'nothing here' },
  poll_not_found: { status: 404, message: 'no such poll' },
  method_not_allowed: { status: 405, message: 'method not allowed here' },
  already_voted: { status: 409, message: 'you have already voted in this poll' },
  poll_closed: { status: 409, message: 'this poll is closed and takes no more votes' },
  body_too_large: { status: 413, message: 'the request body is too large' },
  unsupported_media_type: {
    status: 415,
    message: 'this content type is not accepted here',
  },
  rate_limited: { status: 429, message: 'too many requests, slow down' },
  internal: { status: 500, message: 'something went wrong on our side' },
  unavailable: {
    status: 503,
    message: 'the service cannot record votes right now, retry soon',
  },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** An error meant for the client: a code from the catalog and, optionally, a sharper message. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;

  constructor(code: ErrorCode, message: string = ERRORS[code].message) {
    super(message);
    this.code = code;
    this.statusCode = ERRORS[code].status;
  }
}

/** Fastify's own client errors, mapped onto the catalog. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_body',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
  FST_ERR_VALIDATION: 'invalid_request',
  FST_ERR_BAD_URL: 'invalid_request',
  FST_ERR_ASYNC_CONSTRAINT: 'invalid_request',
  FST_ERR_RATE_LIMITED: 'rate_limited',
};

export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  const e = err as { code?: string; statusCode?: number; message?: string };
  const code = e?.code ? FASTIFY_CODES[e.code] : undefined;
  if (code) return new AppError(code, code === 'invalid_request' ? e.message : undefined);
  if (e?.statusCode === 429) return new AppError('rate_limited', e.message);
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.statusCode === 415) return new AppError('unsupported_media_type');
    if (e.statusCode === 413) return new AppError('body_too_large');
    return new AppError('invalid_request');
  }
  return undefined;
}
