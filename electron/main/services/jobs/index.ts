/** Placeholder until the job engine lands: the kill switch calls stopAll(). */
export class JobEngine {
  async stopAll(): Promise<{ stopped: number }> {
    return { stopped: 0 };
  }
}
