import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { type PollInput, parseTime, validatePoll } from '../src/polls/draft.js';
import { resultsCsv } from '../src/polls/export.js';
import { hashToken, newManageToken, newSlug, tokenMatches } from '../src/polls/tokens.js';

const NOW = Date.UTC(2026, 11, 3, 16, 0);
const base: PollInput = { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] };

function errorsOf(input: Partial<PollInput>) {
  const checked = validatePoll({ ...base, ...input }, NOW);
  return checked.ok ? [] : checked.errors;
}

describe('poll validation', () => {
  it('accepts a plain poll and fills in single choice, results always, listed', () => {
    const checked = validatePoll({ ...base, question: '  Tea or coffee?  ' }, NOW);
    assert.ok(checked.ok);
    assert.deepEqual(checked.poll, {
      question: 'Tea or coffee?',
      options: ['Tea', 'Coffee'],
      kind: 'single',
      maxChoices: 1,
      resultsVisibility: 'always',
      closesAt: null,
      isPublic: true,
    });
  });

  const refusals: Array<[string, Partial<PollInput>, string, RegExp]> = [
    ['an empty question', { question: '' }, 'question', /empty/],
    ['a question of spaces', { question: ' \t\n ' }, 'question', /empty/],
    ['a question of 501 characters', { question: 'q'.repeat(501) }, 'question', /500/],
    ['one option', { options: ['Tea'] }, 'options', /at least 2/],
    [
      'twenty-one options',
      { options: Array.from({ length: 21 }, (_, i) => `o${i}`) },
      'options',
      /at most 20/,
    ],
    ['an empty option', { options: ['Tea', ''] }, 'options', /option 2 is empty/],
    ['an option of spaces', { options: ['   ', 'Tea'] }, 'options', /option 1 is empty/],
    [
      'an option of 201 characters',
      { options: ['Tea', 'x'.repeat(201)] },
      'options',
      /200/,
    ],
    ['the same option twice', { options: ['Tea', 'Coffee', 'tea '] }, 'options', /twice/],
    ['an unknown kind', { kind: 'ranked' }, 'kind', /ranked/],
    [
      'an unknown visibility',
      { resultsVisibility: 'never' },
      'resultsVisibility',
      /after_vote/,
    ],
    [
      'more choices than options',
      { kind: 'multiple', maxChoices: 3 },
      'maxChoices',
      /from 2 to 2 choices, not 3/,
    ],
    [
      'a multiple choice of one',
      { kind: 'multiple', maxChoices: 1 },
      'maxChoices',
      /not 1/,
    ],
    ['a past closing time', { closesAt: '2026-12-03T15:59:00Z' }, 'closesAt', /past/],
    [
      'a closing time that is now',
      { closesAt: '2026-12-03T16:00:00Z' },
      'closesAt',
      /past/,
    ],
    ['a closing time that is no date', { closesAt: 'tomorrow' }, 'closesAt', /tomorrow/],
    ['the 31st of February', { closesAt: '2027-02-31T10:00' }, 'closesAt', /not a date/],
  ];
  for (const [name, input, field, message] of refusals) {
    it(`refuses ${name}, naming the field`, () => {
      const errors = errorsOf(input);
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.equal(errors[0]?.field, field);
      assert.match(errors[0]?.message ?? '', message);
    });
  }

  it('counts characters, not UTF-16 units, so 500 emoji fit in a question', () => {
    assert.deepEqual(errorsOf({ question: '🗳'.repeat(500) }), []);
    assert.equal(errorsOf({ question: '🗳'.repeat(501) }).length, 1);
  });

  it('reports every problem at once', () => {
    const fields = errorsOf({ question: '', options: ['a'], closesAt: 'x' }).map(
      (e) => e.field,
    );
    assert.deepEqual(fields, ['question', 'options', 'closesAt']);
  });

  it('lets a multiple-choice poll allow all its options when no maximum is given', () => {
    const checked = validatePoll(
      { ...base, options: ['a', 'b', 'c'], kind: 'multiple' },
      NOW,
    );
    assert.ok(checked.ok);
    assert.equal(checked.poll.maxChoices, 3);
  });

  it('ignores a maximum on a single-choice poll', () => {
    const checked = validatePoll({ ...base, maxChoices: 7 }, NOW);
    assert.ok(checked.ok);
    assert.equal(checked.poll.maxChoices, 1);
  });
});

describe('closing times', () => {
  it('reads a time with a zone as that instant', () => {
    assert.equal(
      parseTime('2026-12-31T12:00:00+05:30', 0),
      Date.UTC(2026, 11, 31, 6, 30),
    );
    assert.equal(parseTime('2026-12-31T12:00:00Z', 300), Date.UTC(2026, 11, 31, 12));
  });

  it("reads a form's local time at the browser's offset, and as UTC without one", () => {
    // Chatham summer time is UTC+13:45: getTimezoneOffset() gives -825.
    assert.equal(parseTime('2027-01-01T09:00', -825), Date.UTC(2026, 11, 31, 19, 15));
    assert.equal(parseTime('2027-01-01T09:00', 0), Date.UTC(2027, 0, 1, 9));
  });

  it('refuses texts that are no real date and time', () => {
    for (const text of [
      '2027-13-01T09:00',
      '2027-01-01T24:30',
      '2027-01-01',
      '',
      'soon',
    ]) {
      assert.equal(parseTime(text, 0), undefined, text);
    }
  });
});

describe('slugs and management tokens', () => {
  it('draws slugs of 8 base62 characters that do not repeat', () => {
    const slugs = new Set(Array.from({ length: 2000 }, () => newSlug()));
    assert.equal(slugs.size, 2000);
    for (const slug of slugs) assert.match(slug, /^[A-Za-z0-9]{8}$/);
  });

  it('draws 128-bit tokens and keeps only their SHA-256', () => {
    const token = newManageToken();
    assert.equal(Buffer.from(token, 'base64url').length, 16);
    assert.equal(hashToken(token), createHash('sha256').update(token).digest('hex'));
  });

  it('matches a token only against its own hash', () => {
    const token = newManageToken();
    const hash = hashToken(token);
    assert.equal(tokenMatches(hash, token), true);
    assert.equal(tokenMatches(hash, newManageToken()), false);
    assert.equal(tokenMatches(hash, undefined), false);
    assert.equal(tokenMatches(null, token), false);
    assert.equal(tokenMatches('not-hex', token), false);
  });
});

describe('results as CSV', () => {
  const csv = resultsCsv({
    options: [
      { id: 1, label: '=HYPERLINK("http://evil")', votes: 2 },
      { id: 2, label: 'a, "quoted"\nlabel', votes: 1 },
      { id: 3, label: '+1', votes: 0 },
      { id: 4, label: '-1', votes: 0 },
      { id: 5, label: '@sum', votes: 0 },
      { id: 6, label: 'plain', votes: 0 },
    ],
    ballots: 3,
    total: 3,
  });

  it('starts with a byte order mark and a header, and ends lines with CRLF', () => {
    assert.ok(csv.startsWith('\ufeffoption_id,label,votes,percent\r\n'));
    assert.ok(csv.endsWith('\r\n'));
  });

  it('quotes every label and doubles the quotes inside', () => {
    assert.match(csv, /\r\n2,"a, ""quoted""\nlabel",1,33\.3\r\n/);
    assert.match(csv, /\r\n6,"plain",0,0\.0\r\n/);
  });

  it('neutralises cells that a spreadsheet would run as formulas', () => {
    assert.match(csv, /\r\n1,"'=HYPERLINK\(""http:\/\/evil""\)",2,66\.7\r\n/);
    assert.match(csv, /\r\n3,"'\+1",/);
    assert.match(csv, /\r\n4,"'-1",/);
    assert.match(csv, /\r\n5,"'@sum",/);
  });
});
