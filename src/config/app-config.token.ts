/**
 * The typed, validated configuration (`AppConfig`): `@Inject(APP_CONFIG) private readonly config: AppConfig`.
 * A token rather than a class: the value is a plain object, easy to build in tests with `validateEnv({...})`.
 */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Where the validated AppConfig lives inside ConfigService (`config.getOrThrow(APP_CONFIG_KEY)`). */
export const APP_CONFIG_KEY = 'app';
