import { describe, expect, it } from 'vitest';
import { isTestFile } from '../../../../src/analyzers/code/test-files.ts';

describe('isTestFile (the one test-code rule every code lens uses)', () => {
  it.each([
    'test/helpers/db.ts',
    'tests/test_views.py',
    'src/__tests__/orders.ts',
    'src/__mocks__/stripe.ts',
    'spec/models/user_spec.rb',
    'app/specs/user.ts',
    'pkg/testing/fake.go',
    'e2e/checkout.ts',
    'internal/testdata/sample.go',
    'db/fixtures/users.ts',
    'src/Fixtures/Users.ts',
    'src/users.test.ts',
    'src/users.spec.mjs',
    'src/app.e2e-spec.ts',
    'internal/store_test.go',
    'app/views_test.py',
    'app/test_views.py',
    'conftest.py',
    'src/main/java/app/UserServiceTest.java',
    'src/main/java/app/UserServiceTests.java',
    'src/main/java/app/UserServiceIT.java',
    'src/main/kotlin/app/UserServiceTest.kt',
    'src/test/java/app/Users.java',
  ])('treats %s as test code', (path) => {
    expect(isTestFile(path)).toBe(true);
  });

  it.each([
    'src/contest/entry.ts',
    'src/attestation.ts',
    'app/views.py',
    'internal/store.go',
    'src/main/java/app/Tester.java',
    'lib/specification.rb',
    'src/latest/users.ts',
  ])('treats %s as production code', (path) => {
    expect(isTestFile(path)).toBe(false);
  });
});
