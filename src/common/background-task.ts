import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { BackgroundPass } from './background-pass';
import { oneLine } from './retry-policy';

/**
 * Work every app process does in the background from start-up to shutdown (sweeps, offers):
 * `pass` runs every `pollMs`, and `delayMs` after a `wake()`, never two at once. A pass that
 * fails (the database unreachable or closing) is logged; the next one tries again.
 */
export abstract class BackgroundTask implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger: Logger;
  protected readonly background: BackgroundPass;

  constructor(
    private readonly what: string,
    timing: { delayMs: number; pollMs: number },
  ) {
    this.logger = new Logger(new.target.name);
    this.background = new BackgroundPass(() => this.passQuietly(), timing);
  }

  /** One pass of the work. */
  protected abstract pass(): Promise<unknown>;

  onApplicationBootstrap(): void {
    this.background.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.background.stop();
  }

  private async passQuietly(): Promise<void> {
    try {
      await this.pass();
    } catch (error) {
      this.logger.warn(`${this.what}: ${oneLine(error)}`);
    }
  }
}
