//! Coordinates and map tiles. Positions are stored in WGS-84; 高德 (AMap) tiles use
//! GCJ-02, so shapes drawn over them are shifted with [`wgs84_to_gcj02`].
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLng {
    pub lat: f64,
    pub lng: f64,
}

impl LatLng {
    pub fn new(lat: f64, lng: f64) -> Self {
        Self { lat, lng }
    }

    pub fn is_valid(self) -> bool {
        self.lat.is_finite()
            && self.lng.is_finite()
            && (-90.0..=90.0).contains(&self.lat)
            && (-180.0..=180.0).contains(&self.lng)
    }
}

/// Where map tiles come from. The map works with [`TileProvider::None`] too: shapes
/// on a plain background.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TileProvider {
    None,
    Osm,
    /// 天地图, which needs a key (`tk`).
    Tianditu {
        key: String,
    },
    /// 高德, whose tiles are in GCJ-02.
    Amap,
}

impl TileProvider {
    /// Parses the configuration value: `none`, `osm`, `tianditu:KEY`, `amap`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "none" => Some(Self::None),
            "osm" => Some(Self::Osm),
            "amap" => Some(Self::Amap),
            _ => s
                .strip_prefix("tianditu:")
                .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric()))
                .map(|k| Self::Tianditu { key: k.to_owned() }),
        }
    }

    /// Leaflet URL template and attribution.
    pub fn template(&self) -> Option<(String, &'static str)> {
        match self {
            Self::None => None,
            Self::Osm => Some((
                "https://tile.openstreetmap.org/{z}/{x}/{y}.png".to_owned(),
                "© OpenStreetMap",
            )),
            Self::Tianditu { key } => Some((
                format!(
                    "https://t{{s}}.tianditu.gov.cn/DataServer?T=vec_w&x={{x}}&y={{y}}&l={{z}}&tk={key}"
                ),
                "© 天地图",
            )),
            Self::Amap => Some((
                "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
                    .to_owned(),
                "© 高德地图",
            )),
        }
    }

    /// Tile subdomains for `{s}`.
    pub fn subdomains(&self) -> &'static str {
        match self {
            Self::Tianditu { .. } => "01234567",
            Self::Amap => "1234",
            _ => "abc",
        }
    }

    /// Converts a WGS-84 position to where it must be drawn on this provider's tiles.
    pub fn project(&self, p: LatLng) -> LatLng {
        match self {
            Self::Amap => wgs84_to_gcj02(p),
            _ => p,
        }
    }

    /// The inverse of `project`: a position tapped on this provider's map, in WGS-84.
    pub fn unproject(&self, p: LatLng) -> LatLng {
        match self {
            Self::Amap => gcj02_to_wgs84(p),
            _ => p,
        }
    }
}

/// What the map page needs to know from the server's configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapConfig {
    pub tiles: TileProvider,
    pub center: LatLng,
    pub zoom: u8,
}

const GCJ_A: f64 = 6_378_245.0;
const GCJ_EE: f64 = 0.006_693_421_622_965_943;

/// Outside mainland China GCJ-02 equals WGS-84 (the usual rough bounding box).
fn outside_china(p: LatLng) -> bool {
    !(72.004..=137.8347).contains(&p.lng) || !(0.8293..=55.8271).contains(&p.lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    ret
}

fn transform_lng(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    ret
}

/// WGS-84 → GCJ-02 (the published "火星坐标" transform, accurate to about a metre).
pub fn wgs84_to_gcj02(p: LatLng) -> LatLng {
    use std::f64::consts::PI;
    if outside_china(p) {
        return p;
    }
    let mut dlat = transform_lat(p.lng - 105.0, p.lat - 35.0);
    let mut dlng = transform_lng(p.lng - 105.0, p.lat - 35.0);
    let radlat = p.lat / 180.0 * PI;
    let mut magic = radlat.sin();
    magic = 1.0 - GCJ_EE * magic * magic;
    let sqrtmagic = magic.sqrt();
    dlat = (dlat * 180.0) / ((GCJ_A * (1.0 - GCJ_EE)) / (magic * sqrtmagic) * PI);
    dlng = (dlng * 180.0) / (GCJ_A / sqrtmagic * radlat.cos() * PI);
    LatLng::new(p.lat + dlat, p.lng + dlng)
}

/// GCJ-02 → WGS-84 by fixed-point iteration (a phone's position from an AMap-based
/// source back to what we store); converges below a millimetre in a few steps.
pub fn gcj02_to_wgs84(g: LatLng) -> LatLng {
    if outside_china(g) {
        return g;
    }
    let mut w = g;
    for _ in 0..10 {
        let back = wgs84_to_gcj02(w);
        w = LatLng::new(w.lat - (back.lat - g.lat), w.lng - (back.lng - g.lng));
    }
    w
}

/// Great-circle distance in metres.
pub fn distance_m(a: LatLng, b: LatLng) -> f64 {
    let r = 6_371_000.0_f64;
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dla = la2 - la1;
    let dlo = (b.lng - a.lng).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * r * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcj02_known_point_beijing() {
        // The reference pair published with the widely used coordtransform library.
        let g = wgs84_to_gcj02(LatLng::new(39.915, 116.404));
        assert!((g.lng - 116.410_244_499_169_38).abs() < 1e-9, "{g:?}");
        assert!((g.lat - 39.916_404_281_501_64).abs() < 1e-9, "{g:?}");
    }

    #[test]
    fn gcj02_offset_in_luohe_is_a_few_hundred_metres() {
        let w = LatLng::new(33.58, 114.02);
        let d = distance_m(w, wgs84_to_gcj02(w));
        assert!((100.0..700.0).contains(&d), "offset {d} m");
    }

    #[test]
    fn gcj02_inverse_round_trips() {
        let w = LatLng::new(33.5812, 114.0234);
        let back = gcj02_to_wgs84(wgs84_to_gcj02(w));
        assert!(distance_m(w, back) < 0.01);
    }

    #[test]
    fn outside_china_unchanged() {
        let p = LatLng::new(51.5, -0.12);
        assert_eq!(wgs84_to_gcj02(p), p);
    }

    #[test]
    fn providers_parse() {
        assert_eq!(TileProvider::parse("osm"), Some(TileProvider::Osm));
        assert_eq!(
            TileProvider::parse("tianditu:abc123"),
            Some(TileProvider::Tianditu {
                key: "abc123".into()
            })
        );
        assert_eq!(TileProvider::parse("tianditu:"), None);
        assert_eq!(TileProvider::parse("bing"), None);
        assert!(TileProvider::None.template().is_none());
        let (url, _) = TileProvider::Tianditu { key: "k1".into() }
            .template()
            .unwrap_or_default();
        assert!(url.ends_with("tk=k1"));
        assert_eq!(
            TileProvider::Osm.project(LatLng::new(33.58, 114.02)),
            LatLng::new(33.58, 114.02)
        );
        assert_ne!(
            TileProvider::Amap.project(LatLng::new(33.58, 114.02)),
            LatLng::new(33.58, 114.02)
        );
    }

    #[test]
    fn validity() {
        assert!(LatLng::new(33.5, 114.0).is_valid());
        assert!(!LatLng::new(91.0, 0.0).is_valid());
        assert!(!LatLng::new(f64::NAN, 0.0).is_valid());
    }
}
