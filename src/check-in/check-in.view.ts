import type { FieldErrors, FormValues } from '../common/forms/form.pipe';
import type { CheckInDesk, CheckInOutcome, CheckInResult } from './check-in.service';

/** Door staff and scripts read the answer from the status too: only a fresh check-in is a 200. */
export const CHECK_IN_STATUS: Record<CheckInResult, number> = {
  'checked-in': 200,
  'already-checked-in': 409,
  pending: 409,
  expired: 409,
  cancelled: 409,
  'other-date': 409,
  unknown: 404,
};

/** The check-in page: the desk's counts, the last outcome if any, and the form (values kept when refused). */
export function checkInPage(
  desk: CheckInDesk,
  values: FormValues,
  errors: FieldErrors,
  outcome?: CheckInOutcome,
) {
  return {
    title: `Check-in: ${desk.event.title}`,
    ...desk,
    values,
    errors,
    outcome,
  };
}
