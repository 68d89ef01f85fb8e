/**
 * Basemap styles. The default draws no remote tiles at all (the command centre may have no internet): a plain
 * background over which the units' boundaries and the geofences are overlays. Real tile sources are a setting;
 * AMap and Tencent tiles are drawn on GCJ-02, so `gcj02` tells the map to shift what it draws.
 */
import type { StyleSpecification } from 'maplibre-gl';

export const BASEMAPS = ['offline', 'osm', 'tianditu', 'amap', 'tencent'] as const;
export type BasemapKind = (typeof BASEMAPS)[number];

export interface BasemapSettings {
  kind: BasemapKind;
  tiandituKey: string;
  /** Replaces the kind's tile URL (an intranet tile server), `{z}/{x}/{y}` placeholders. */
  customTileUrl: string;
}

export const DEFAULT_BASEMAP: BasemapSettings = { kind: 'offline', tiandituKey: '', customTileUrl: '' };

export function usesGcj02(kind: BasemapKind): boolean {
  return kind === 'amap' || kind === 'tencent';
}

interface RasterDef {
  tiles: string[];
  attribution: string;
  scheme?: 'xyz' | 'tms';
  maxzoom: number;
}

function rasterFor(settings: BasemapSettings): RasterDef[] {
  const custom = settings.customTileUrl.trim();
  if (custom) return [{ tiles: [custom], attribution: '', maxzoom: 19 }];
  switch (settings.kind) {
    case 'offline':
      return [];
    case 'osm':
      return [{ tiles: ['https://tile.openstreetmap.org/{z}/{x}/{y}.png'], attribution: '© OpenStreetMap contributors', maxzoom: 19 }];
    case 'tianditu': {
      // Vector map plus its annotation layer; Tianditu's web-Mercator grid ("_w") is CGCS2000, close enough to WGS-84.
      const wmts = (layer: string) =>
        [0, 1, 2, 3, 4, 5, 6, 7].map(
          (n) =>
            `https://t${n}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}` +
            `&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(settings.tiandituKey)}`,
        );
      return [
        { tiles: wmts('vec'), attribution: '© 天地图 Tianditu', maxzoom: 18 },
        { tiles: wmts('cva'), attribution: '', maxzoom: 18 },
      ];
    }
    case 'amap':
      return [
        {
          tiles: [1, 2, 3, 4].map((n) => `https://webrd0${n}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}`),
          attribution: '© 高德地图 AMap',
          maxzoom: 18,
        },
      ];
    case 'tencent':
      return [
        {
          tiles: [0, 1, 2, 3].map((n) => `https://rt${n}.map.gtimg.com/realtimerender?z={z}&x={x}&y={y}&type=vector&style=0`),
          attribution: '© 腾讯地图 Tencent',
          scheme: 'tms',
          maxzoom: 18,
        },
      ];
  }
}

export function styleFor(settings: BasemapSettings): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e9edf1' } }],
  };
  rasterFor(settings).forEach((raster, i) => {
    const id = `basemap-${i}`;
    style.sources[id] = {
      type: 'raster',
      tiles: raster.tiles,
      tileSize: 256,
      maxzoom: raster.maxzoom,
      scheme: raster.scheme ?? 'xyz',
      attribution: raster.attribution,
    };
    style.layers.push({ id, type: 'raster', source: id });
  });
  return style;
}
