/** Placeholder until the hardware monitor lands: the kill switch's alert step calls broadcastAlert(). */
export class Monitor {
  /** Sends an alert on every configured channel; resolves to a one-line summary of where it went. */
  async broadcastAlert(_title: string, _body: string): Promise<string> {
    return 'no alert channels yet';
  }
}
