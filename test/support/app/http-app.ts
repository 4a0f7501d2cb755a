import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';

/** A Nest application on Node's HTTP server (Express), as every test app is: `getHttpServer()` is typed. */
export type HttpApp = INestApplication<Server>;
