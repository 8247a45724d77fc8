/** The settings of schema/grader.json, with the same defaults. */
export interface IGraderSettings {
  lintAsYouType: boolean;
  lintDelayMs: number;
  showPointsTotal: boolean;
  checkTimeoutSeconds: number;
  selfTestTimeoutSeconds: number;
}

export const DEFAULT_SETTINGS: IGraderSettings = {
  lintAsYouType: true,
  lintDelayMs: 400,
  showPointsTotal: true,
  checkTimeoutSeconds: 30,
  selfTestTimeoutSeconds: 60
};

/** Settings as the registry hands them over, each value checked against the schema. */
export function normalizeSettings(raw: unknown): IGraderSettings {
  const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<
    string,
    unknown
  >;
  const bool = (key: keyof IGraderSettings): boolean =>
    typeof value[key] === 'boolean'
      ? (value[key] as boolean)
      : (DEFAULT_SETTINGS[key] as boolean);
  const delay = value.lintDelayMs;
  const seconds = (key: 'checkTimeoutSeconds' | 'selfTestTimeoutSeconds') => {
    const raw = value[key];
    return typeof raw === 'number' && Number.isFinite(raw)
      ? Math.min(Math.max(Math.round(raw), 1), 600)
      : DEFAULT_SETTINGS[key];
  };
  return {
    lintAsYouType: bool('lintAsYouType'),
    lintDelayMs:
      typeof delay === 'number' && Number.isFinite(delay)
        ? Math.min(Math.max(Math.round(delay), 0), 5000)
        : DEFAULT_SETTINGS.lintDelayMs,
    showPointsTotal: bool('showPointsTotal'),
    checkTimeoutSeconds: seconds('checkTimeoutSeconds'),
    selfTestTimeoutSeconds: seconds('selfTestTimeoutSeconds')
  };
}
