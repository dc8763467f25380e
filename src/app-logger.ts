import { ConsoleLogger } from '@nestjs/common';

/** Nest's own start-up lines: a line per module loaded and per route mapped, nothing an operator acts on. */
const START_UP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/** Nest's console logger without its start-up chatter: a start says one line, the URL (main.ts). */
export class AppLogger extends ConsoleLogger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && START_UP_CONTEXTS.has(context)) return;
    super.log(message, ...optionalParams);
  }
}
