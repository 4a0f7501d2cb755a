/** The fleet's ioredis connection (commands and scripts; the Socket.IO adapter opens its own pair). */
export const FLEET_REDIS = Symbol('FLEET_REDIS');
/** `(pool: 'tts' | 'stt') => CreationGate | undefined`: each pool's fleet budget, if it has one. */
export const FLEET_GATES = Symbol('FLEET_GATES');
/** The `fleet` readiness check (`check(): HealthIndicatorResult`). */
export const FLEET_HEALTH = Symbol('FLEET_HEALTH');
/** `{ view(): Promise<FleetView> }`: what GET /api/v1/fleet answers (FleetViewService), e.g. for the dashboard. */
export const FLEET_VIEW = Symbol('FLEET_VIEW');
/** FleetVoiceSessions, the SessionFleet of fleet mode: fleet-wide session records and takeovers for the voice layer. */
export const FLEET_SESSIONS = Symbol('FLEET_SESSIONS');
/** The Socket.IO Redis adapter for the voice server (FleetSocketAdapter). */
export const FLEET_SOCKET_ADAPTER = Symbol('FLEET_SOCKET_ADAPTER');
