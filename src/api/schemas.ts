import type { FastifyInstance } from 'fastify';
import { POLL_LIMITS } from '../polls/model.js';

/**
 * JSON schemas of the API: they validate requests, make the responses'
 * serializers, and become the OpenAPI document's components.
 */

const time = { type: 'string', format: 'date-time' } as const;
const nullableTime = { ...time, nullable: true } as const;

const pollFields = {
  slug: { type: 'string' },
  title: { type: 'string' },
  question: { type: 'string' },
  kind: { type: 'string', enum: ['single', 'multiple'] },
  maxChoices: { type: 'integer' },
  resultsVisibility: { type: 'string', enum: ['always', 'after_vote', 'after_close'] },
  public: { type: 'boolean', description: 'listed under recent polls' },
  open: { type: 'boolean', description: 'takes votes now' },
  closesAt: { ...nullableTime, description: 'when it closes by itself' },
  closedAt: { ...nullableTime, description: 'when its creator closed it' },
  createdAt: time,
} as const;

const pollRequired = Object.keys(pollFields);

const schemas = [
  {
    $id: 'Error',
    type: 'object',
    description: 'Every error: a stable code from the catalog and a sentence',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  {
    $id: 'Option',
    type: 'object',
    required: ['id', 'label'],
    properties: { id: { type: 'integer' }, label: { type: 'string' } },
  },
  {
    $id: 'Poll',
    type: 'object',
    required: [...pollRequired, 'options'],
    properties: { ...pollFields, options: { type: 'array', items: { $ref: 'Option#' } } },
  },
  {
    $id: 'PollListItem',
    type: 'object',
    required: [...pollRequired, 'ballots'],
    properties: {
      ...pollFields,
      ballots: { type: 'integer', description: 'voters so far' },
    },
  },
  {
    $id: 'Results',
    type: 'object',
    required: ['poll', 'options', 'ballots', 'total'],
    properties: {
      poll: { $ref: 'Poll#' },
      options: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'label', 'votes', 'percent'],
          properties: {
            id: { type: 'integer' },
            label: { type: 'string' },
            votes: { type: 'integer' },
            percent: { type: 'number', description: 'share of all choices, one decimal' },
          },
        },
      },
      ballots: { type: 'integer', description: 'voters' },
      total: {
        type: 'integer',
        description: 'choices made; above ballots with multiple choice',
      },
    },
  },
];

export function addSchemas(app: FastifyInstance): void {
  for (const schema of schemas) app.addSchema(schema);
}

export const errorResponses = {
  '4xx': { $ref: 'Error#' },
  '5xx': { $ref: 'Error#' },
} as const;

export const slugParams = {
  type: 'object',
  properties: { slug: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' } },
  required: ['slug'],
} as const;

export const listQuery = {
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
  additionalProperties: false,
} as const;

export const voteBody = {
  type: 'object',
  properties: {
    choices: {
      type: 'array',
      items: { type: 'integer', minimum: 1, maximum: 1000 },
      minItems: 1,
      maxItems: POLL_LIMITS.maxOptions,
      description: 'option ids; one for a single-choice poll',
    },
  },
  required: ['choices'],
  additionalProperties: false,
} as const;

export const createBody = {
  type: 'object',
  required: ['question', 'options'],
  additionalProperties: false,
  properties: {
    question: { type: 'string', minLength: 1, maxLength: POLL_LIMITS.questionLength },
    options: {
      type: 'array',
      minItems: POLL_LIMITS.minOptions,
      maxItems: POLL_LIMITS.maxOptions,
      items: { type: 'string', minLength: 1, maxLength: POLL_LIMITS.optionLength },
    },
    kind: { type: 'string', enum: ['single', 'multiple'], default: 'single' },
    maxChoices: {
      type: 'integer',
      minimum: 2,
      maximum: POLL_LIMITS.maxOptions,
      description: 'multiple choice only; all options when left out',
    },
    resultsVisibility: {
      type: 'string',
      enum: ['always', 'after_vote', 'after_close'],
      default: 'always',
    },
    closesAt: { ...nullableTime, description: 'in the future, with a time zone' },
    public: { type: 'boolean', default: true, description: 'list under recent polls' },
  },
} as const;

export const createdResponse = {
  type: 'object',
  required: ['poll', 'links', 'manageToken'],
  properties: {
    poll: { $ref: 'Poll#' },
    links: {
      type: 'object',
      required: ['share', 'manage'],
      properties: {
        share: { type: 'string', description: 'the page to send voters to' },
        manage: {
          type: 'string',
          description: 'the secret page to close, reopen or delete',
        },
      },
    },
    manageToken: {
      type: 'string',
      description: 'shown once: send it as "Authorization: Bearer <token>"',
    },
  },
} as const;
