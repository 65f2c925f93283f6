import { validationMismatches } from './schemathesis-report';

const REPORT = `
Missing test data: 30 operations repeatedly returned 404 responses

  - GET /cases/{caseId}

Schema validation mismatch: 2 operations mostly rejected generated data due to validation errors, indicating schema constraints don't match API validation

  - GET /auth/login
  - POST /cases/{caseId}/children

💡 Check your schema constraints - API validation may be stricter than documented

=================================== SUMMARY ====================================

Warnings:
  ⚠️ Schema validation mismatch: 2 operations mostly rejected generated data
`;

describe('the schema-mismatch warnings of a schemathesis report', () => {
  it('given a report with a mismatch section, when read, then exactly its operations are named (not the missing-data ones)', () => {
    expect(validationMismatches(REPORT)).toEqual(['GET /auth/login', 'POST /cases/{caseId}/children']);
  });

  it('given a report without one, when read, then none', () => {
    expect(validationMismatches('Warnings:\n  ⚠️ Missing test data: 3 operations\n')).toEqual([]);
  });
});
