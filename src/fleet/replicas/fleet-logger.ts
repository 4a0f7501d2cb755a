/** The little of Nest's Logger the fleet classes use, so they can be built and tested without Nest. */
export interface FleetLogger {
  log(message: string): void;
  warn(message: string): void;
}
