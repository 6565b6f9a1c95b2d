/**
 * Amounts are integer minor units (api.md); the currency says how many digits they have
 * (GBP 2, JPY 0). No dependencies, so the console uses it too.
 */
export function minorUnitDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** 12345 GBP reads "£123.45", 500 JPY "¥500" (in `locale`; absent: the runtime's own, as a browser's). */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
    minor / 10 ** minorUnitDigits(currency),
  );
}

/** Minor units as a number a person reads or types: 12345 GBP is "123.45", 500 JPY "500". */
export function toMajor(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** What a person typed ("123.45") in minor units, as the API takes it. */
export function toMinor(major: string, currency: string): number {
  return Math.round(Number(major) * 10 ** minorUnitDigits(currency));
}
