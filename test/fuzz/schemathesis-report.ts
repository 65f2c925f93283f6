/**
 * The operations a schemathesis report names under "Schema validation mismatch": those for which
 * every valid request generated from the document was refused (400/422), so the document allows
 * what the API does not take. A list it cut short ("… and N more") is returned with that line, so
 * it can never pass for a complete one.
 */
export function validationMismatches(report: string): string[] {
  const section = /^Schema validation mismatch: \d+ operations?[^\n]*\n\n((?:[ \t]+[-…].*\n?)+)/m.exec(report);
  if (!section) return [];
  return section[1]!
    .split('\n')
    .map((line) => line.trim().replace(/^- /, ''))
    .filter((line) => line.length > 0);
}
