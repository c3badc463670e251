/**
 * The one place that builds a child process's environment. In CLI, serve and MCP modes the studio's own
 * environment holds its secrets (the Stripe key, the SMTP password, the webhook secret); no child (ffmpeg,
 * ffprobe, docker, nvidia-smi, a kill-switch step, restic, an agent) needs them, and a child that logs or
 * dumps its environment must not carry them off. A secret a child does need (restic's repository password)
 * is handed to that child alone through `deliberate`.
 */

/** The studio's own secret variables, by exact name. */
export const STUDIO_SECRET_VARS: readonly string[] = ['STRIPE_API_KEY', 'STRIPE_WEBHOOK_SECRET', 'CHURCH_SMTP_PASSWORD'];

/** Names that by convention hold a credential (GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, RESTIC_PASSWORD, …). */
const SECRET_NAME = /(^|_)(SECRET|SECRETS|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)(_|$)/i;

export function isSecretVar(name: string): boolean {
  return STUDIO_SECRET_VARS.includes(name.toUpperCase()) || name.toUpperCase().startsWith('STRIPE_') || SECRET_NAME.test(name);
}

/** `base` without its secret variables, plus `deliberate` (secrets meant for this one child). */
export function childEnv(base: NodeJS.ProcessEnv = process.env, deliberate: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !isSecretVar(k)) env[k] = v;
  return { ...env, ...deliberate };
}
