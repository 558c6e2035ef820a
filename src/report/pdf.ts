import {writeFileAtomic} from '../util/atomic';
import {offlinePage, type ReportBrowser} from './browser';
import {escapeHtml} from './html';

/** Page numbers in the bottom margin; Chromium fills the span classes. Fonts set here: the footer has no page CSS. */
function footer(title: string): string {
  return `<div style="width:100%;font-family:'DejaVu Sans',sans-serif;font-size:7pt;color:#555;padding:0 17mm;display:flex;justify-content:space-between">`
    + `<span>${escapeHtml(title)}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;
}

/**
 * Prints a self-contained HTML document to PDF with Chromium: page size and margins from the
 * document's @page rule (A4), backgrounds printed (verdict colours), fonts embedded as subsets,
 * SVG figures kept as vectors. Written atomically.
 */
export async function htmlToPdf(b: ReportBrowser, html: string, path: string, title: string): Promise<void> {
  const page = await offlinePage(b);
  try {
    await page.setContent(html, {waitUntil: 'load'});
    // A string, not a function: this project compiles without the DOM lib.
    await page.evaluate('document.fonts.ready.then(() => true)');
    const pdf = await page.pdf({
      format: 'A4', printBackground: true, preferCSSPageSize: true,
      displayHeaderFooter: true, headerTemplate: '<div></div>', footerTemplate: footer(title),
      outline: true, tagged: true,
    });
    if (Buffer.from(pdf.subarray(0, 5)).toString('latin1') !== '%PDF-') {
      throw new Error('htmlToPdf: Chromium returned something that is not a PDF');
    }
    writeFileAtomic(path, pdf);
  } finally {
    await page.close();
  }
}
