/**
 * Runs `pass` in the background when woken: after `delayMs` (so that the wake-ups of many
 * commits are served by one pass), every `pollMs`, never two at once, and once more when
 * woken during a pass.
 */
export class BackgroundPass {
  private timer?: NodeJS.Timeout;
  private pending?: NodeJS.Timeout;
  private running?: Promise<void>;
  private lookAgain = false;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly options: { delayMs: number; pollMs: number },
  ) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.options.pollMs).unref();
    this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.lookAgain = true;
      return;
    }
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.running = this.pass().finally(() => {
        this.running = undefined;
        if (this.lookAgain) {
          this.lookAgain = false;
          this.wake();
        }
      });
    }, this.options.delayMs).unref();
  }

  /** No more passes; resolves when the one under way has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.pending);
    await this.running;
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}
