/**
 * Which changed files count as backend code. A pull request is reviewed when at least one changed
 * file matches an include glob and no exclude glob.
 */
export const DEFAULT_INCLUDE = [
  // Server code in the common backend languages.
  '**/*.{ts,mts,cts,js,mjs,cjs}',
  '**/*.{py,go,java,kt,kts,scala,rb,rs,cs,php,ex,exs,erl,clj}',
  // SQL and ORM migrations, schemas.
  '**/*.sql',
  '**/migrations/**',
  '**/migrate/**',
  '**/alembic/**',
  '**/*.prisma',
  // API descriptions.
  '**/*{openapi,swagger}*.{yaml,yml,json}',
  '**/api/**/*.{yaml,yml,json}',
  '**/*.{graphql,graphqls,gql,proto}',
];

/** Generated code: excluded, except for the API descriptions in it (see GENERATED_CONTRACTS). */
export const GENERATED_EXCLUDE = [
  '**/*.{generated,gen}.*',
  '**/{generated,__generated__,gen}/**',
  '**/*.pb.go',
  '**/*_pb2{,_grpc}.py',
  '**/*.min.{js,mjs}',
  '**/dist/**',
  '**/build/**',
];

/**
 * API descriptions and schemas stay in scope when they sit in generated code: a generated
 * OpenAPI document or schema is still the contract clients are built against, and its contract
 * analyzers compare documents, so they add no comments on the generated code around it.
 */
export const GENERATED_CONTRACTS = [
  '**/*{openapi,swagger}*.{yaml,yml,json}',
  '**/*.{graphql,graphqls,gql,proto}',
];

export const DEFAULT_EXCLUDE = [
  // Lockfiles.
  '**/{package-lock.json,npm-shrinkwrap.json,yarn.lock,pnpm-lock.yaml,bun.lockb,go.sum,Cargo.lock,poetry.lock,uv.lock,Pipfile.lock,Gemfile.lock,composer.lock,gradle.lockfile}',
  // Generated code.
  ...GENERATED_EXCLUDE,
  // Vendored code.
  '**/{vendor,node_modules,third_party,third-party}/**',
  // Documentation.
  '**/*.{md,mdx,rst,txt,adoc}',
  '**/docs/**',
  // Frontend sources and assets.
  '**/*.{tsx,jsx,vue,svelte,astro,css,scss,sass,less,html,htm}',
  '**/*.{svg,png,jpg,jpeg,gif,webp,ico,woff,woff2,ttf,eot,mp4,webm}',
  '**/{frontend,client,web,ui,public,static,assets}/**',
  // Test data.
  '**/{fixtures,__fixtures__,testdata,__snapshots__}/**',
];
