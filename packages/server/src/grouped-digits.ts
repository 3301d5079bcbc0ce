/**
 * A count as people read it, thousands grouped with commas: 1234567 -> "1,234,567". Not
 * toLocaleString('en-US'): its first call loads ICU's number-format data, about 7 MiB of
 * resident memory for the life of a server that only wanted to say how many records it lost.
 */
export function groupedDigits(value: number): string {
  const [whole, fraction] = String(value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}
