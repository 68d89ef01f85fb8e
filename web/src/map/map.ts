/**
 * The one map of the console. It is created once; views add overlays to it and never touch maplibre-gl's
 * style directly. A basemap switch replaces the style, which drops every source and layer, so each overlay's
 * `add` runs again on the new style (with the new display grid).
 */
import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { styleFor, usesGcj02, type BasemapSettings } from './basemaps.ts';
import { GCJ02_DISPLAY, WGS84_DISPLAY, type Display } from './display.ts';

setWorkerUrl(workerUrl);

declare global {
  interface Window {
    /** The console's map, for the browser tests and for looking at its layers from the developer tools. */
    urbanlinkMap?: MapLibreMap;
  }
}

export interface Overlay {
  /** Adds the overlay's sources and layers, with all its current data; runs once per style. */
  add(map: MapLibreMap, display: Display): void;
}

export class ConsoleMap {
  readonly map: MapLibreMap;
  private currentDisplay: Display;
  private readonly overlays: Overlay[] = [];
  private styleReady = false;
  /** True while the next click is a point being picked: overlays leave that click alone. */
  picking = false;
  private readonly tileTroubleListeners = new Set<(failing: boolean) => void>();
  private tilesFailing = false;

  constructor(container: HTMLElement, basemap: BasemapSettings, center: [number, number], zoom: number) {
    this.currentDisplay = usesGcj02(basemap.kind) ? GCJ02_DISPLAY : WGS84_DISPLAY;
    this.map = new MapLibreMap({
      container,
      style: styleFor(basemap),
      center: this.currentDisplay.toMap(center[0], center[1]),
      zoom,
      attributionControl: { compact: true },
      // Plates are Chinese; drawing them with the system's fonts needs no glyph server.
      localIdeographFontFamily: 'sans-serif',
      // Symbols re-placed on every live push would otherwise fade in and out, repainting for 300 ms each
      // time: with 10 000 vehicles that alone cut the frame rate by half or more (web/bench/map-10k).
      fadeDuration: 0,
    });
    window.urbanlinkMap = this.map;
    this.map.addControl(new NavigationControl({ showCompass: true }), 'bottom-right');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    // Remote tiles that cannot be fetched (no internet in the command centre) are one notice, not a console
    // error per tile; everything else is still reported.
    this.map.on('error', (event) => {
      if ((event as { sourceId?: string }).sourceId?.startsWith('basemap-')) this.setTilesFailing(true);
      else console.error(event.error);
    });
    this.map.on('style.load', () => {
      this.styleReady = true;
      for (const overlay of this.overlays) overlay.add(this.map, this.currentDisplay);
    });
  }

  get display(): Display {
    return this.currentDisplay;
  }

  register(overlay: Overlay): void {
    this.overlays.push(overlay);
    if (this.styleReady) overlay.add(this.map, this.currentDisplay);
  }

  setBasemap(basemap: BasemapSettings): void {
    const next = usesGcj02(basemap.kind) ? GCJ02_DISPLAY : WGS84_DISPLAY;
    // Keep looking at the same place on the ground when the grid changes.
    const centre = this.map.getCenter();
    const [lon, lat] = this.currentDisplay.toWgs84(centre.lng, centre.lat);
    this.currentDisplay = next;
    this.styleReady = false;
    this.setTilesFailing(false);
    this.map.setStyle(styleFor(basemap), { diff: false });
    this.map.jumpTo({ center: next.toMap(lon, lat) });
  }

  /** Tells `listener` when the basemap's tiles start or stop failing to load. */
  onTileTrouble(listener: (failing: boolean) => void): () => void {
    this.tileTroubleListeners.add(listener);
    return () => this.tileTroubleListeners.delete(listener);
  }

  private setTilesFailing(failing: boolean): void {
    if (failing === this.tilesFailing) return;
    this.tilesFailing = failing;
    this.tileTroubleListeners.forEach((listener) => listener(failing));
  }

  /** Moves the camera to a stored (WGS-84) point. */
  flyTo(lon: number, lat: number, zoom?: number): void {
    this.map.easeTo({ center: this.currentDisplay.toMap(lon, lat), zoom: zoom ?? Math.max(this.map.getZoom(), 14), duration: 600 });
  }

  fitWgs84(bounds: [number, number, number, number]): void {
    const [w, s] = this.currentDisplay.toMap(bounds[0], bounds[1]);
    const [e, n] = this.currentDisplay.toMap(bounds[2], bounds[3]);
    this.map.fitBounds([w, s, e, n], { padding: 60, maxZoom: 16, duration: 0 });
  }

  /** The next map click, as a stored (WGS-84) point. */
  pickPoint(): Promise<[number, number]> {
    const canvas = this.map.getCanvas();
    canvas.style.cursor = 'crosshair';
    this.picking = true;
    return new Promise((resolve) => {
      this.map.once('click', (event) => {
        canvas.style.cursor = '';
        // Layer click handlers run after this one for the same click; they see the flag still set.
        setTimeout(() => (this.picking = false));
        resolve(this.currentDisplay.toWgs84(event.lngLat.lng, event.lngLat.lat));
      });
    });
  }
}
