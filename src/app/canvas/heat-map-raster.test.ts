import { describe, expect, it } from 'vitest';
import { HeatRaster } from './heat-map-raster';

const buffer = (width: number, height: number) => ({ width, height, data: new Uint8ClampedArray(width * height * 4) });
const pixel = (r: HeatRaster, x: number, y: number) => [...r.buffer.data.slice((y * r.width + x) * 4, (y * r.width + x) * 4 + 4)];

describe('HeatRaster', () => {
  it('fills whole pixels, clipped to the buffer, and clears them', () => {
    const r = new HeatRaster(buffer(4, 3));
    r.fillStyle = 'rgb(10, 20, 30)';
    r.fillRect(2, 1, 5, 5);
    // x 2..3 (4 is past the edge), y 1..2.
    expect(pixel(r, 1, 1)).toEqual([0, 0, 0, 0]);
    expect(pixel(r, 2, 1)).toEqual([10, 20, 30, 255]);
    expect(pixel(r, 3, 2)).toEqual([10, 20, 30, 255]);
    expect(pixel(r, 2, 0)).toEqual([0, 0, 0, 0]);
    r.clearRect(3, 0, 1, 3);
    expect(pixel(r, 3, 2)).toEqual([0, 0, 0, 0]);
    expect(pixel(r, 2, 2)).toEqual([10, 20, 30, 255]);
    // Negative or empty rectangles draw nothing.
    r.fillRect(-5, -5, 2, 2);
    r.fillRect(1, 1, 0, 3);
    expect(pixel(r, 0, 0)).toEqual([0, 0, 0, 0]);
    expect(pixel(r, 1, 1)).toEqual([0, 0, 0, 0]);
  });

  it('blends a colour with alpha source-over, as the canvas does', () => {
    const r = new HeatRaster(buffer(2, 1));
    r.fillStyle = '#0000ff';
    r.fillRect(0, 0, 1, 1);
    r.fillStyle = 'rgba(255, 0, 0, 0.55)';
    r.fillRect(0, 0, 2, 1);
    // Over opaque blue: alpha 0.55 + 1 x 0.45 = 1; red 255 x 0.55 = 140.25; blue 255 x 0.45 = 114.75.
    expect(pixel(r, 0, 0)).toEqual([140, 0, 115, 255]);
    // Over nothing: the colour itself at 0.55 (140.25 of 255).
    expect(pixel(r, 1, 0)).toEqual([255, 0, 0, 140]);
  });
});
