import { DEFAULT_SETTINGS } from '$shared';

/**
 * The unit's time zone: the server's UNIT_TIMEZONE once the live snapshot has said it, the shared
 * default (Paris) until then. Reactive, so every time on screen follows when it arrives.
 */
class UnitZone {
  current = $state(DEFAULT_SETTINGS.timeZone);
}

export const unitZone = new UnitZone();
