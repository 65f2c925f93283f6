import { toCsv } from './formats';

describe('CSV exports', () => {
  const columns = [
    { header: 'id', value: (r: { id: number; text: string }) => r.id },
    { header: 'text', value: (r: { id: number; text: string }) => r.text },
  ];

  it('given cells with commas, quotes and line breaks, when exported, then each is quoted so every row stays one record', () => {
    expect(toCsv(columns, [{ id: 1, text: 'a, "b"\nc' }])).toBe('id,text\r\n1,"a, ""b""\nc"\r\n');
  });

  it.each(['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'given a cell starting like a formula (%j), when exported, then a quote is put before it so a spreadsheet shows it as text',
    (text) => {
      const [, line] = toCsv(columns, [{ id: 1, text }]).split('\r\n');
      expect(line).toMatch(/^1,"?'/);
    },
  );

  it('given a negative number, when exported, then it stays a number', () => {
    expect(toCsv([{ header: 'n', value: (n: number) => n }], [-5])).toBe('n\r\n-5\r\n');
  });
});
