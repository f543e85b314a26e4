import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfText {
  pages: number;
  /** Each page's text, its items joined in the order the PDF draws them. */
  text: string[];
}

/** What a reader of the PDF file finds in it, page by page: the words the printer received, not the page's DOM. */
export async function pdfText(buffer: Uint8Array): Promise<PdfText> {
  // Without system fonts or font faces pdfjs reads the text layer alone, with nothing to render.
  const document = await getDocument({ data: new Uint8Array(buffer), useSystemFonts: false, disableFontFace: true }).promise;
  try {
    const text: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const content = await (await document.getPage(n)).getTextContent();
      text.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
    }
    return { pages: document.numPages, text };
  } finally {
    await document.destroy();
  }
}
