// A patient's initials as the unit's documents write them, the French way: "J.D." for Jeanne
// Dupont. The wall board and the day report both show this, never the name itself. Read by code
// point, so a name starting with an accented or astral letter keeps its letter whole; a blank
// name shows as "?".
export function initials(firstName: string, lastName: string): string {
  const letter = (name: string) => ([...name.trim()][0] ?? '?').toUpperCase();
  return `${letter(firstName)}.${letter(lastName)}.`;
}
