import { z } from 'zod';

// The words findings and configuration share. They live here, with the configuration that names
// them, so the engine depends on config and config depends on nothing of the engine.

/** The five lenses the architect reviews through. Order is the display order. */
export const LENSES = [
  'api-contract',
  'schema',
  'failure-mode',
  'security',
  'performance',
] as const;
export const LensSchema = z.enum(LENSES);
export type Lens = z.infer<typeof LensSchema>;

/** Most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}
