/**
 * A chart axis label broken into lines of at most `width` characters at spaces (Chart.js draws an
 * array as several lines), so a long target name is written whole instead of cut at the axis edge.
 * A single word longer than `width` stays whole on its own line.
 */
export function wrapLabel(label: string, width = 22): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}
