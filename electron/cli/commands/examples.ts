/**
 * Two or three examples for each command, printed at the end of its --help (as git and kubectl do): what an owner
 * types most, with real-looking values. One table, so a command added to the command table without examples
 * fails tests/foundation/cliHelp.test.ts.
 */
export const EXAMPLES: Record<string, string[]> = {
  doctor: ['church doctor', 'church doctor --json | jq .warnings'],
  serve: ['church serve', 'church serve --port 8765 --json', 'ssh -L 8765:127.0.0.1:8765 labbox church serve --port 8765   # then open the URL it prints, here'],
  audit: ['church audit --limit 20', 'church audit --json | jq \'.[] | select(.ok == false)\''],
  import: ['church import ~/Videos', 'church import /mnt/nas/clips/a.mp4 /mnt/nas/clips/b.mkv --no-assets'],
  scan: ['church scan', 'church scan --root 2 --json'],
  list: ['church list --sort addedAt --desc --limit 20', 'church list --tag trance --min-rating 4 --json'],
  search: ['church search "evening session"', 'church search trance --favourite --json'],
  show: ['church show 42', 'church show 42 --json | jq .streams'],
  tag: ['church tag 42 trance evening', 'church tag --ids 1,2,3 favourites'],
  untag: ['church untag 42 evening', 'church untag --ids 1,2,3 favourites'],
  rate: ['church rate 42 5', 'church rate 42 0   # clears the rating'],
  fav: ['church fav 42', 'church fav 42 --off'],
  duplicates: ['church duplicates', 'church duplicates --json | jq length'],
  transcode: ['church transcode 42 --preset web --wait', 'church transcode 42 --preset hls --out /mnt/nas/out --priority 5'],
  jobs: ['church jobs', 'church jobs --status failed --limit 10', 'church jobs --pause'],
  job: ['church job 17', 'church job 17 --json | jq .logTail'],
  cancel: ['church cancel 17', 'church jobs --status running --json | jq -r \'.[].id\' | xargs -n1 church cancel'],
  retry: ['church retry 17', 'church retry 17 --json'],
  presets: ['church presets', 'church presets --json | jq -r \'.presets[].name\''],
  monitor: ['church monitor', 'church monitor --once --json', 'church monitor --interval 5000 --count 12 --json > samples.jsonl'],
  stripe: ['STRIPE_API_KEY=rk_live_… church stripe sync', 'church stripe status', 'church stripe webhook --port 4242'],
  subscribers: ['church subscribers --status active --sort currentPeriodEnd', 'church subscribers --search example.com --csv > subscribers.csv'],
  metrics: ['church metrics', 'church metrics --json | jq .mrr'],
  agent: ['church agent --lab redis://nas.lan:6379 --secret-file ~/.config/church/lab.key', 'church agent --lab rediss://nas.lan:6380 --lab-ca ca.pem --name gpu-box --concurrency 2'],
  'agent-key': ['church agent-key gpu-box --out gpu-box.key --lab-secret-file lab.secret', 'CHURCH_LAB_SECRET_FILE=lab.secret church agent-key nas --out nas.key --json'],
  lab: ['church lab', 'church lab --json | jq .agents', 'church lab secret --new ~/.config/church/lab.secret'],
  backup: ['church backup', 'RESTIC_REPOSITORY=/srv/restic/studio RESTIC_PASSWORD_FILE=~/.restic-pw church backup --restic'],
  backups: ['church backups', 'RESTIC_REPOSITORY=sftp:nas:/restic/studio RESTIC_PASSWORD_COMMAND="pass show restic" church backups --json'],
  restore: ['church restore 20250101-030000-000 --yes', 'church restore 1a2b3c4d --yes   # a restic snapshot'],
  config: [
    'church config set backup.restic.repository /srv/restic/studio',
    'church config set monitor.prometheus.enabled true',
    'printf %s "$SMTP_PASSWORD" | church config set-secret monitor.smtp.password',
  ],
  completion: ['church completion bash > ~/.local/share/bash-completion/completions/church', "echo 'source <(church completion zsh)' >> ~/.zshrc", 'church completion fish > ~/.config/fish/completions/church.fish'],
  kill: ['church kill --dry-run', 'church kill --yes --reason "GPU at 95 °C"'],
  mcp: ['church mcp', 'church mcp --data-dir /srv/church'],
};

/** The examples block that ends a command's --help ('' for a command without any). */
export function examplesText(name: string): string {
  const list = EXAMPLES[name];
  return list?.length ? `\nExamples:\n${list.map((e) => `  ${e}`).join('\n')}\n` : '';
}
