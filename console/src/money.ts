/** Amounts on the wire are integer minor units; a currency says how many digits it has (GBP 2, JPY 0). */
function digitsOf(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** 12345 GBP reads "£123.45", 500 JPY "¥500". */
export function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(
    minor / 10 ** digitsOf(currency),
  );
}

/** The amount a person typed ("123.45") in minor units, as the API takes it. */
export function toMinor(major: string, currency: string): number {
  return Math.round(Number(major) * 10 ** digitsOf(currency));
}

/** Minor units as a person would type them back: 12345 GBP is "123.45". */
export function toMajor(minor: number, currency: string): string {
  const digits = digitsOf(currency);
  return (minor / 10 ** digits).toFixed(digits);
}
