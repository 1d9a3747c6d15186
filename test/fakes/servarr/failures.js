// The *arr validation-failure JSON (FluentValidation ValidationFailure + NzbDroneValidationFailure,
// camelCased by System.Text.Json), answered as a 400 array (API-NOTES §1.4).

/**
 * @typedef {object} ValidationFailure
 * @property {string} propertyName C# property name ('Priority', 'Host', 'MovieCategory') or '' for the whole object
 * @property {string} errorMessage
 * @property {unknown} [attemptedValue]
 * @property {'error'|'warning'} severity
 * @property {boolean} isWarning
 * @property {string} [errorCode]
 * @property {string} [infoLink]
 * @property {string} [detailedDescription]
 */

/**
 * @param {string} propertyName
 * @param {string} errorMessage
 * @param {{ attemptedValue?: unknown, warning?: boolean, errorCode?: string, infoLink?: string, detailedDescription?: string }} [extra]
 * @returns {ValidationFailure}
 */
export function failure(propertyName, errorMessage, extra = {}) {
  const warning = extra.warning === true;
  /** @type {ValidationFailure} */
  const out = { isWarning: warning, propertyName, errorMessage, severity: warning ? 'warning' : 'error' };
  if ('attemptedValue' in extra) out.attemptedValue = extra.attemptedValue;
  if (extra.errorCode) out.errorCode = extra.errorCode;
  if (extra.infoLink) out.infoLink = extra.infoLink;
  if (extra.detailedDescription) out.detailedDescription = extra.detailedDescription;
  return out;
}

/** FluentValidation's NotEmpty message for a C# property ('ApiKey' → "'Api Key' must not be empty."). */
/** @param {string} propertyName @param {unknown} [attemptedValue] */
export function notEmpty(propertyName, attemptedValue) {
  const words = propertyName.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  return failure(propertyName, `'${words}' must not be empty.`, { attemptedValue, errorCode: 'NotEmptyValidator' });
}

/** Warnings count only when the request did not say forceSave/forceTest. */
/** @param {ValidationFailure[]} failures @param {boolean} includeWarnings */
export function blocking(failures, includeWarnings) {
  const relevant = includeWarnings ? failures : failures.filter((f) => !f.isWarning);
  return relevant.length > 0 && (includeWarnings || relevant.some((f) => !f.isWarning)) ? relevant : [];
}

/** @param {ValidationFailure[]} failures */
export const badRequest = (failures) => ({ status: 400, body: failures });
