export { startEmulator } from './emulator-server';
export type { EmulatorOptions, RunningEmulator } from './emulator-server';
export type { EmulatorStats } from './emulator-stats';
export type { FaultSettings } from './fault-settings';
export { FaultSettingsError } from './fault-settings';
export type { EmulatorLogger, EmulatorLogLevel } from './emulator-logger';
export { createStderrLogger } from './emulator-logger';
export type { VoiceMode } from './voice-selection';
