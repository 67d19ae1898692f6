/** What each secretlint rule of the recommended preset finds, in words for a finding's title. */
const LABELS: Record<string, string> = {
  '1password': '1Password service-account token',
  anthropic: 'Anthropic API key',
  aws: 'AWS secret access key',
  basicauth: 'Password in a URL',
  cloudflare: 'Cloudflare API token',
  'database-connection-string': 'Database password in a connection string',
  databricks: 'Databricks access token',
  docker: 'Docker Hub access token',
  figma: 'Figma access token',
  gcp: 'GCP service-account private key',
  github: 'GitHub token',
  gitlab: 'GitLab access token',
  grafana: 'Grafana token',
  groq: 'Groq API key',
  'hashicorp-vault': 'HashiCorp Vault token',
  huggingface: 'Hugging Face access token',
  linear: 'Linear API key',
  notion: 'Notion integration token',
  npm: 'npm access token',
  openai: 'OpenAI API key',
  privatekey: 'Private key',
  sendgrid: 'SendGrid API key',
  shopify: 'Shopify access token',
  slack: 'Slack token or webhook URL',
  stripe: 'Stripe secret key',
  tailscale: 'Tailscale key',
  vercel: 'Vercel token',
};

/** `@secretlint/secretlint-rule-github` → `github`. */
export function shortRuleName(secretlintRuleId: string): string {
  return secretlintRuleId.replace(/^@secretlint\/secretlint-rule-/, '');
}

export function secretLabel(shortName: string): string {
  return LABELS[shortName] ?? `Credential (${shortName})`;
}
