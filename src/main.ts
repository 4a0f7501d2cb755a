import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import type { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { ConfigValidationError } from './config/config-validation-error';
import { describeUnknownVariables, findUnknownVariables } from './config/unknown-variables';
import { HttpApiModule } from './http-api/http-api.module';
import { armExitDeadline } from './lifecycle/exit-deadline';
import { createBootstrapLogger } from './logging/bootstrap-logger';
import { logDestination } from './logging/log-destination';
import { NestPinoLogger } from './logging/nest-logger';
import { routeProcessEventsTo } from './logging/process-events';
import { createRootLogger } from './logging/root-logger';
import { SPEECH_ENDPOINT } from './upstream/upstream-tokens';
import type { SpeechEndpoint } from './upstream/speech-endpoint';
import { checkPortFree, describeListenError } from './startup/port-check';
import { startupSummary } from './startup/startup-summary';
import { VoiceIoAdapter } from './voice/voice-io.adapter';
import { VoiceModule } from './voice/voice.module';
import { WebModule } from './web/web.module';

/**
 * Start-up, in the order that keeps a failure cheap and readable: configuration (nothing else exists yet), then
 * the port (still nothing created), then the application. Every line, from the first, is a pino line; every
 * failure is one line and exit code 1.
 */
async function bootstrap(): Promise<void> {
  let logger: Logger = createBootstrapLogger();
  routeProcessEventsTo(() => logger);

  const config = await loadConfig(logger);
  logger = createRootLogger(config.logLevel, logDestination(config.logFormat));
  warnAboutUnknownVariables(logger);

  await checkPortFree(config.port).catch((error: unknown) => fail(logger, error, config.port));

  const app = await NestFactory.create<INestApplication<Server>>(
    AppModule.forRoot({
      features: [VoiceModule.fromAppConfig(), HttpApiModule.fromAppConfig(), WebModule.fromAppConfig()],
    }),
    {
      logger: new NestPinoLogger(logger),
      // Held back until configureApp installs the application's logger, which may log with request context.
      bufferLogs: true,
      // Nest has logged the error (through the logger above) when create() rejects; exit here, not abort().
      abortOnError: false,
      // After the drain, every HTTP connection still open is closed (a request whose headers or body are still
      // trickling in included): the server's close would otherwise wait for them, with Node's own header and
      // request timeouts already off.
      forceCloseConnections: true,
    },
  ).catch(() => process.exit(1));
  configureApp(app);
  app.useWebSocketAdapter(new VoiceIoAdapter(app));
  // exit 0 after a clean drain (Kubernetes reads a signal death as a crash); process.exit also flushes pino.
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  armExitDeadline({
    deadlineMs: config.shutdownTimeoutMs,
    signals: process,
    onExpired: () => {
      logger.error(
        { context: 'Lifecycle' },
        `shutdown did not finish within SHUTDOWN_TIMEOUT (${config.shutdownTimeoutMs / 1000} s); exiting now`,
      );
      process.exit(1);
    },
  });

  try {
    await app.listen(config.port);
  } catch (error) {
    await fail(logger, error, config.port, app);
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  const summary = startupSummary(config, app.get<SpeechEndpoint>(SPEECH_ENDPOINT), port);
  logger.info({ context: 'Startup', startup: summary.fields }, summary.message);
}

/** After loading the configuration, so variables from `.env` are checked too. */
function warnAboutUnknownVariables(logger: Logger): void {
  const unknown = describeUnknownVariables(findUnknownVariables(process.env));
  if (unknown !== undefined) logger.warn({ context: 'Config' }, unknown);
}

async function loadConfig(logger: Logger): Promise<AppConfig> {
  try {
    return await AppConfigModule.load().config;
  } catch (error) {
    // A misspelt name is often why a value is missing or wrong: say so before the error.
    warnAboutUnknownVariables(logger);
    if (error instanceof ConfigValidationError) {
      logger.fatal({ context: 'Config', problems: error.problems }, error.message);
    } else {
      logger.fatal({ context: 'Config', err: error }, `could not load the configuration: ${String(error)}`);
    }
    process.exit(1);
  }
}

/**
 * Everything created so far closed (every upstream socket, the emulator), then one line saying why, exit code 1.
 */
async function fail(logger: Logger, error: unknown, port: number, app?: INestApplication): Promise<never> {
  await app?.close().catch(() => undefined);
  // A known listen problem is the whole story; anything else keeps its error (and stack) for whoever debugs it.
  const listenProblem = describeListenError(error, port);
  if (listenProblem !== undefined) {
    logger.fatal({ context: 'Startup' }, listenProblem);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    logger.fatal(
      { context: 'Startup', err: error },
      message.startsWith('start-up') ? message : `start-up failed: ${message}`,
    );
  }
  process.exit(1);
}

void bootstrap();
