/** The fleet's ioredis connection (commands and scripts; the Socket.IO adapter opens its own pair). */
export const FLEET_REDIS = Symbol('FLEET_REDIS');
