// SVG to PNG with resvg (a Rust renderer shipped as npm prebuilt binaries; nothing downloaded from elsewhere).
import { Resvg } from '@resvg/resvg-js';

export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: '#ffffff' }).render().asPng();
}
