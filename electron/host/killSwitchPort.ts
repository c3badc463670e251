/**
 * How the monitor reaches the kill switch (a rule whose action is to trigger it). The two need each other (the
 * kill switch alerts through the monitor's channels), so the monitor is composed with this port and the kill
 * switch is plugged into it once composed; a call before that is refused, not queued.
 */
export interface KillSwitchPort {
  trigger(reason: string): Promise<unknown>;
}

export function createKillSwitchPort(): KillSwitchPort & { plug(trigger: (reason: string) => Promise<unknown>): void } {
  let target: ((reason: string) => Promise<unknown>) | null = null;
  return {
    trigger: (reason) => (target ? target(reason) : Promise.reject(new Error('the kill switch is not ready'))),
    plug(trigger) {
      target = trigger;
    },
  };
}
