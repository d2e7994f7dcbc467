// The heat map's rectangles rasterised in a pixel buffer instead of one
// Canvas2D fillRect call each. With software rendering (no GPU) a fillRect
// costs microseconds of fixed overhead, and a whole view of config-max is
// 5,000 tiles and their runs of pods: about 25,000 calls, a fifth of a second
// for every pan or zoom. Here a rectangle is a few Uint32Array.fill calls, and
// the buffer reaches the canvas in one putImageData (or one per redrawn tile).
// Coordinates are whole device pixels (heat-map-draw.ts snaps them), so no
// edge needs antialiasing; a colour with alpha is blended source-over, as
// the canvas would.
import { parseColour } from './heat-map-palette';

/** What heat-map-draw.ts fills and clears: this raster, or the canvas itself. */
export interface HeatFill {
  fillStyle: string | CanvasGradient | CanvasPattern;
  fillRect(x: number, y: number, w: number, h: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
}

/** A buffer of RGBA pixels (ImageData in the browser; a plain object in tests). */
export interface PixelBuffer {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
  /** The pixel as the buffer's Uint32Array holds it (little-endian: A, B, G, R from the top byte). */
  packed: number;
}

export class HeatRaster implements HeatFill {
  fillStyle: string | CanvasGradient | CanvasPattern = '#000';
  readonly width: number;
  readonly height: number;
  readonly buffer: PixelBuffer;
  private readonly px: Uint32Array;
  private readonly colours = new Map<string, Rgba>();

  constructor(buffer: PixelBuffer) {
    this.buffer = buffer;
    this.width = buffer.width;
    this.height = buffer.height;
    this.px = new Uint32Array(buffer.data.buffer, buffer.data.byteOffset, (buffer.width * buffer.height) | 0);
  }

  clearRect(x: number, y: number, w: number, h: number): void {
    this.span(x, y, w, h, (row, x0, x1) => this.px.fill(0, row + x0, row + x1));
  }

  fillRect(x: number, y: number, w: number, h: number): void {
    const c = this.colour(String(this.fillStyle));
    if (c.a === 0) return;
    if (c.a === 255) {
      this.span(x, y, w, h, (row, x0, x1) => this.px.fill(c.packed, row + x0, row + x1));
      return;
    }
    const d = this.buffer.data;
    const sa = c.a / 255;
    this.span(x, y, w, h, (row, x0, x1) => {
      for (let i = (row + x0) * 4, end = (row + x1) * 4; i < end; i += 4) {
        const da = d[i + 3] / 255;
        const oa = sa + da * (1 - sa);
        d[i] = (c.r * sa + d[i] * da * (1 - sa)) / oa;
        d[i + 1] = (c.g * sa + d[i + 1] * da * (1 - sa)) / oa;
        d[i + 2] = (c.b * sa + d[i + 2] * da * (1 - sa)) / oa;
        d[i + 3] = oa * 255;
      }
    });
  }

  /** The rectangle clipped to the buffer, row by row: `fn(rowStart, x0, x1)` with x1 exclusive. */
  private span(x: number, y: number, w: number, h: number, fn: (row: number, x0: number, x1: number) => void): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    if (x1 <= x0 || y1 <= y0) return;
    for (let r = y0; r < y1; r++) fn(r * this.width, x0, x1);
  }

  private colour(style: string): Rgba {
    let c = this.colours.get(style);
    if (!c) {
      const rgb = parseColour(style) ?? [0, 0, 0];
      const alpha = /^rgba\(.*,\s*([\d.]+)\s*\)$/i.exec(style.trim());
      const a = Math.round(255 * (alpha ? Math.min(1, Math.max(0, Number(alpha[1]))) : 1));
      const [r, g, b] = rgb.map((v) => Math.round(Math.min(255, Math.max(0, v))));
      c = { r, g, b, a, packed: ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 };
      this.colours.set(style, c);
    }
    return c;
  }
}
