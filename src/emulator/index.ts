export { startEmulator } from './emulator-server';
export type { EmulatorOptions, RunningEmulator } from './emulator-server';
export type { EmulatorStats } from './control-plane/emulator-stats';
export type { FaultSettings } from './control-plane/fault-settings';
export { FaultSettingsError } from './control-plane/fault-settings';
export type { EmulatorLogger, EmulatorLogLevel } from './emulator-logger';
export { createStderrLogger } from './emulator-logger';
export type { VoiceMode } from './synthesis/voice-selection';
