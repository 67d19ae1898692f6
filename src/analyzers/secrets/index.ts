export { createSecretsAnalyzer } from './analyzer.ts';
export { createSecretRedactor } from './redactor.ts';
export { rules } from './rules.ts';
export { scanSecrets, type SecretHit } from './secretlint-scan.ts';
